import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parsePasetoKeys } from './paseto-keys.ts';
import { deriveAccessKeys, issueAccessToken, verifyAccessToken } from './tokens.ts';

const secrets = parsePasetoKeys('k2:second-secret-0123456789,k1:first-secret-0123456789');
const keysFor = (project: string, env: string) => deriveAccessKeys(secrets, project, env);
const issue = (project = 'shop', env = 'dev', ttlSeconds = 60, now?: Date) =>
  issueAccessToken(keysFor(project, env)[0]!, {
    sub: 'u1',
    roles: ['authenticated'],
    project,
    env,
    ttlSeconds,
    ...(now ? { now } : {}),
  });

test('a token verifies with the keys of its project/env and carries the claims', () => {
  const verdict = verifyAccessToken(issue(), keysFor);
  assert.equal(verdict.status, 'valid');
  if (verdict.status !== 'valid') return;
  assert.deepEqual(
    [verdict.claims.sub, verdict.claims.projectId, verdict.claims.envId, verdict.footer.kid],
    ['u1', 'shop', 'dev', 'k2'],
  );
  assert.ok(issue().startsWith('v4.local.'));
});

test('rotation: a token signed with an older key still verifies while that key is listed', () => {
  const old = issueAccessToken(keysFor('shop', 'dev')[1]!, {
    sub: 'u1',
    roles: [],
    project: 'shop',
    env: 'dev',
    ttlSeconds: 60,
  });
  assert.equal(verifyAccessToken(old, keysFor).status, 'valid');
  const onlyNew = (project: string, env: string) =>
    deriveAccessKeys(parsePasetoKeys('k2:second-secret-0123456789'), project, env);
  assert.deepEqual(verifyAccessToken(old, onlyNew), { status: 'invalid', reason: 'unknown-key' });
});

test('expired, forged, tampered-footer and garbage tokens are invalid', () => {
  assert.deepEqual(verifyAccessToken(issue('shop', 'dev', 60, new Date(Date.now() - 120_000)), keysFor), {
    status: 'invalid',
    reason: 'expired',
  });
  const otherSecrets = parsePasetoKeys('k2:attacker-secret-0123456789');
  const forged = issueAccessToken(deriveAccessKeys(otherSecrets, 'shop', 'dev')[0]!, {
    sub: 'admin',
    roles: ['admin'],
    project: 'shop',
    env: 'dev',
    ttlSeconds: 60,
  });
  assert.deepEqual(verifyAccessToken(forged, keysFor), { status: 'invalid', reason: 'forged' });
  // A token of another project whose footer is rewritten to claim this one fails authentication.
  const [v, local, body] = issue('other', 'dev').split('.');
  const footer = Buffer.from(JSON.stringify({ kid: 'k2', project: 'shop', env: 'dev' })).toString('base64url');
  assert.equal(verifyAccessToken([v, local, body, footer].join('.'), keysFor).status, 'invalid');
  assert.deepEqual(verifyAccessToken('not-a-token', keysFor), { status: 'invalid', reason: 'malformed' });
});

test('keys differ per project/env', () => {
  assert.notEqual(keysFor('a', 'dev')[0]!.key, keysFor('b', 'dev')[0]!.key);
});
