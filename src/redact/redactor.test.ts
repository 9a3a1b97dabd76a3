import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createRedactor } from './redactor.ts';

const KEY = Buffer.from('0123456789abcdef');

function placeholders(text: string): string[] {
  return text.match(/\[redacted:[a-z0-9_-]+#[0-9a-f]{6}\]/g) ?? [];
}

test('a registered secret is replaced by value everywhere, with the same placeholder each time', () => {
  const redactor = createRedactor({ fingerprintKey: KEY });
  const token = 'Zq8mT1x0s9VbN2cQwE4rT6yU8iO0pA3sD5fG7hJ9';
  redactor.addSecret(token, 'service-token');
  const out = redactor.text(`started with ${token}; again: ${token}`);
  assert.equal(out.includes(token), false);
  const found = placeholders(out);
  assert.equal(found.length, 2);
  assert.equal(found[0], found[1]);
  assert.match(found[0] ?? '', /^\[redacted:service-token#/);
});

test('a secret URL-encoded or JSON-escaped is the same secret, with the same placeholder', () => {
  const redactor = createRedactor({ fingerprintKey: KEY });
  const keys = 'kabcdef:Zq8m/T1x0s9VbN"2cQwE4rT6yU8iO0pA';
  redactor.addSecret(keys, 'paseto-keys');
  const out = redactor.text(`raw ${keys} url ${encodeURIComponent(keys)} json ${JSON.stringify(keys)}`);
  const found = placeholders(out);
  assert.equal(found.length, 3, out);
  assert.equal(new Set(found).size, 1);
});

test('a registered PASETO token is found by its shape: masked with its own kind and fingerprint wherever it appears', () => {
  const redactor = createRedactor({ fingerprintKey: KEY });
  const token = 'v4.local.Zq8mT1x0s9VbN2cQwE4rT6yU8iO0pA3sD5fG7hJ9';
  redactor.addSecret(token, 'access-token');
  const out = redactor.text(`Authorization: Bearer ${token}\ncookie stk_access_p_e=${token} and ${token}.`);
  assert.equal(out.includes(token), false, out);
  const found = placeholders(out);
  assert.equal(found.length, 3, out);
  assert.equal(new Set(found).size, 1, out);
  assert.match(found[0] ?? '', /^\[redacted:access-token#/);
  assert.deepEqual(redactor.value({ note: `got ${token}` }), { note: `got ${found[0] ?? ''}` });
});

test('two different secrets get different fingerprints; short values are not searched for by value', () => {
  const redactor = createRedactor({ fingerprintKey: KEY });
  redactor.addSecret('first-secret-value', 'a');
  redactor.addSecret('second-secret-value', 'a');
  redactor.addSecret('stk', 'db');
  const [one, two] = placeholders(redactor.text('first-secret-value second-secret-value'));
  assert.notEqual(one, two);
  assert.equal(redactor.text('stk apply'), 'stk apply');
});

test('JSON fields by name, keeping the document valid JSON', () => {
  const redactor = createRedactor({ fingerprintKey: KEY });
  const body = JSON.stringify({
    email: 'owner@example.com',
    password: 'hunter2-hunter2',
    api_key: 'abc.defghijklmnop',
    nested: { access_token: 'tok-123456789', refresh_token: 'r-123456789' },
    code: 'NOT_FOUND',
  });
  const out = redactor.text(body);
  const parsed = JSON.parse(out) as Record<string, unknown>;
  assert.equal(parsed.email, 'owner@example.com');
  assert.equal(parsed.code, 'NOT_FOUND', 'an error code is not a secret');
  for (const secret of ['hunter2-hunter2', 'abc.defghijklmnop', 'tok-123456789', 'r-123456789'])
    assert.equal(out.includes(secret), false, secret);
  assert.match(String(parsed.api_key), /^\[redacted:api_key#/);
});

test('a secret learned from a field is masked where no name marks it (stk output, a later request)', () => {
  const redactor = createRedactor({ fingerprintKey: KEY });
  const apiKey = '01JABCDEF.k9s8d7f6g5h4j3k2';
  const result = redactor.value({
    transcript: [
      { kind: 'cli', argv: ['stk', 'apikey', 'list'], stdout: `key ${apiKey} created\n` },
      { kind: 'http', responseBody: JSON.stringify({ api_key: apiKey }) },
    ],
  });
  assert.equal(JSON.stringify(result).includes(apiKey), false);
});

test('URL userinfo passwords, query and form parameters, Bearer tokens, PASETO and JWT shapes', () => {
  const redactor = createRedactor({ fingerprintKey: KEY });
  const jwt = 'eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.c2lnbmF0dXJlLXNpZ25hdHVyZQ';
  const paseto = 'v4.local.AAAAbbbbCCCCddddEEEEffffGGGGhhhh1234';
  const out = redactor.text(
    [
      'db_url=postgres://stk:pg-pass-1234@db:5432/app',
      'GET /cb?code=x&client_secret=cs-12345678&state=s',
      'grant_type=authorization_code&code_verifier=verifier-123456',
      'Authorization: Bearer abc.def-123456',
      `id_token ${jwt}`,
      `token=${paseto}`,
      `raw ${paseto}`,
    ].join('\n'),
  );
  for (const secret of ['pg-pass-1234', 'cs-12345678', 'verifier-123456', 'abc.def-123456', jwt, paseto])
    assert.equal(out.includes(secret), false, secret);
  assert.match(out, /postgres:\/\/stk:\[redacted:url-password#[0-9a-f]{6}\]@db:5432\/app/);
  assert.match(out, /state=s/);
  assert.match(out, /Authorization: Bearer \[redacted:/);
});

test('presigned S3 URLs lose their signature; the store secret goes by name', () => {
  const redactor = createRedactor({ fingerprintKey: KEY });
  const signature = 'a1b2c3d4e5f60718293a4b5c6d7e8f90a1b2c3d4e5f60718293a4b5c6d7e8f90';
  const out = redactor.text(
    `PUT http://127.0.0.1:4200/b/k?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Expires=60&X-Amz-Signature=${signature}\nAWS_SECRET_ACCESS_KEY=sk-1234567890abcdef`,
  );
  assert.equal(out.includes(signature), false);
  assert.equal(out.includes('sk-1234567890abcdef'), false);
  assert.match(out, /X-Amz-Expires=60&X-Amz-Signature=\[redacted:/);
});

test("stk's API key line: the key goes, the label stays", () => {
  const redactor = createRedactor({ fingerprintKey: KEY });
  const key = 'k1FQMTXuVVQxJ.0NspVPPpP6VFsWYtqFHsJ8f0SJtmWodo';
  const out = redactor.text(`API Key (store securely): ${key}\nAPI key: ${key}`);
  assert.equal(out.includes(key), false);
  assert.match(out, /^API Key \(store securely\): \[redacted:api_key#[0-9a-f]{6}\]$/m);
});

test('a failure message about an API key keeps its words', () => {
  const redactor = createRedactor({ fingerprintKey: KEY });
  const message = 'API key: expected a 401 for a revoked key, got 200';
  assert.equal(redactor.text(message), message);
});

test('headers: credentials keep their scheme, cookies keep their names, other headers stay', () => {
  const redactor = createRedactor({ fingerprintKey: KEY });
  const headers = redactor.value({
    authorization: 'Bearer v4.public.eyJzdWIiOiJ1MSJ9abcdefghijklmnop',
    cookie: 'sid=s3cr3t-session; theme=dark',
    'set-cookie': 'sid=s3cr3t-session; Path=/; HttpOnly',
    'x-santokit-api-key': 'key-1234567890',
    'content-type': 'application/json',
  });
  assert.match(headers.authorization, /^Bearer \[redacted:/);
  assert.match(headers.cookie, /^sid=\[redacted:cookie#[0-9a-f]{6}\]; theme=\[redacted:cookie#/);
  assert.match(headers['set-cookie'], /^sid=\[redacted:cookie#[0-9a-f]{6}\]; Path=\/; HttpOnly$/);
  assert.match(headers['x-santokit-api-key'], /^\[redacted:x-santokit-api-key#/);
  assert.equal(headers['content-type'], 'application/json');
});

test('argv: the value after a secret-named flag', () => {
  const redactor = createRedactor({ fingerprintKey: KEY });
  const argv = redactor.value(['stk', 'login', '--password', 'pw-12345678', '--email', 'a@b.c', '--token=t-123456789']);
  assert.deepEqual(argv.slice(0, 3), ['stk', 'login', '--password']);
  assert.match(argv[3] ?? '', /^\[redacted:/);
  assert.equal(argv[5], 'a@b.c');
  assert.match(argv[6] ?? '', /^--token=\[redacted:/);
});

test('redacting twice changes nothing more: placeholders are never masked again', () => {
  const redactor = createRedactor({ fingerprintKey: KEY });
  redactor.addSecret('registered-secret', 'service-token');
  const once = redactor.text(
    '{"password":"pw-12345678"} registered-secret Bearer tok.123456789 postgres://u:pw-abcdefgh@h/db',
  );
  assert.equal(redactor.text(once), once);
  assert.deepEqual(redactor.value({ note: once, password: '[redacted:password#0aab2f]' }), {
    note: once,
    password: '[redacted:password#0aab2f]',
  });
});

test('ordinary text is left alone', () => {
  const redactor = createRedactor({ fingerprintKey: KEY });
  const lines = [
    'POST /api/auth/login 401 3ms id=5d0c3f8e-1b7a-4c2e-9d1f-2a3b4c5d6e7f',
    'expected HTTP 200, got 403 {"error":{"code":"FORBIDDEN","message":"password too short","requestId":"r1"}}',
    'login refuses a bad password',
    'token_type: bearer',
  ];
  for (const line of lines) assert.equal(redactor.text(line), line);
});
