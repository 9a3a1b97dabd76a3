/** Security properties of the Hub: injection attempts, token forgery, revocation, and no secret in any response or log. */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { SERVICE_TOKEN_HEADER, serviceTokenValue } from '../shared/contract.ts';
import { parsePasetoKeys } from '../shared/paseto-keys.ts';
import { deriveAccessKeys, issueAccessToken } from '../shared/tokens.ts';
import { createHubApp } from './app.ts';
import {
  createProject,
  expectError,
  expectOk,
  items,
  PERMISSIONS_V1,
  sql,
  startHub,
  TEST_ENV,
  USERS_V1,
  type Hub,
  type Reply,
} from './test-kit.ts';

let hub: Hub;
const owner = () => ({ token: hub.owner });
const service = { headers: { [SERVICE_TOKEN_HEADER]: serviceTokenValue(TEST_ENV.STK_SERVICE_TOKEN) } };
const OPERATOR_CONTEXT = ['__operators__', '__hub__'] as const;

/** Replaces the character at `index` (negative from the end) with another base64url character. */
function tamper(token: string, index: number): string {
  const at = index < 0 ? token.length + index : index;
  const swapped = token[at] === 'A' ? 'B' : 'A';
  return `${token.slice(0, at)}${swapped}${token.slice(at + 1)}`;
}

function operatorToken(secrets: string, options: { now?: Date; sub?: string } = {}): string {
  const [key] = deriveAccessKeys(parsePasetoKeys(secrets), ...OPERATOR_CONTEXT);
  if (!key) throw new Error('no key');
  return issueAccessToken(key, {
    sub: options.sub ?? 'owner@example.com',
    roles: ['operator'],
    project: OPERATOR_CONTEXT[0],
    env: OPERATOR_CONTEXT[1],
    ttlSeconds: 3600,
    ...(options.now ? { now: options.now } : {}),
  });
}

describe('Hub security', () => {
  before(async () => {
    hub = await startHub();
  });
  after(() => hub.close());

  test('injection attempts in names, refs, defaults and query strings are refused or stored as plain data', async () => {
    const { project, urls } = await createProject(hub);
    const apply = (extra: Record<string, unknown>) =>
      hub.call(
        'POST',
        '/api/apply',
        { project, env: 'dev', ref: 'r1', schema: [USERS_V1], permissions: PERMISSIONS_V1, ...extra },
        owner(),
      );
    const evil = `x"; DROP TABLE users; --`;
    for (const content of [
      `tables:\n  '${evil}':\n    columns: {}\n`,
      `tables:\n  users:\n    columns:\n      '${evil}': { type: string }\n`,
      `tables:\n  users:\n    id: { name: '${evil}' }\n`,
      `tables:\n  users:\n    connection: '${evil}'\n`,
    ]) {
      expectError(await apply({ schema: [{ file: 'schema/evil.yaml', content }] }), 400, 'SCHEMA_VALIDATION_FAILED');
    }
    expectError(
      await apply({ permissions: `tables:\n  users:\n    select: { roles: [admin], columns: ['${evil}'] }\n` }),
      422,
      'INVALID_PERMISSIONS',
    );
    expectError(await apply({ logics: { [evil]: 'SELECT 1' } }), 400, 'SCHEMA_VALIDATION_FAILED');
    const ref = `r1'); DELETE FROM hub_releases; --`;
    const withDefault = USERS_V1.content.replace(
      'name: { type: string, nullable: true }',
      `name: { type: string, nullable: true, default: "x'); DROP TABLE users; --" }`,
    );
    const applied = expectOk(await apply({ ref, schema: [{ file: 'schema/users.yaml', content: withDefault }] }));
    assert.equal(
      expectOk(await hub.call('GET', `/api/releases/current?project=${project}&env=dev`, undefined, owner())).ref,
      ref,
    );
    await sql(urls.dev ?? '', `INSERT INTO users (id, email) VALUES ('u1', 'a@b.c')`);
    assert.deepEqual(await sql(urls.dev ?? '', `SELECT name FROM users`), [{ name: "x'); DROP TABLE users; --" }]);
    assert.equal(
      (await hub.deps.store.query(`SELECT 1 FROM hub_releases WHERE id = $1`, [applied.release_id])).length,
      1,
    );
    const quote = encodeURIComponent("dev' OR '1'='1");
    for (const path of [
      `/api/releases?project=${project}&env=${quote}`,
      `/api/releases/current?project=${project}&env=${quote}`,
      `/api/envs?project=${encodeURIComponent("x' OR '1'='1")}`,
    ]) {
      expectError(await hub.call('GET', path, undefined, owner()), 404, 'NOT_FOUND');
    }
    expectError(
      await hub.call('GET', `/internal/releases/${encodeURIComponent("x'--")}/dev/current`, undefined, service),
      404,
      'NOT_FOUND',
    );
    for (const body of [
      { project, env: "dev'; --" },
      { project: `${project}' --`, env: 'dev' },
    ]) {
      expectError(await hub.call('POST', '/api/envs', body, owner()), 400, 'BAD_REQUEST');
    }
    expectError(
      await hub.call('POST', '/api/apikeys/create', { project, env: 'dev', name: "k'; --", roles: ['admin'] }, owner()),
      400,
      'BAD_REQUEST',
    );
    expectError(
      await hub.call('POST', '/api/endusers/login', {
        project,
        env: 'dev',
        email: "' OR '1'='1",
        password: "' OR '1'='1",
      }),
      401,
      'UNAUTHORIZED',
    );
    assert.deepEqual(
      items(await hub.call('GET', `/api/envs?project=${project}`, undefined, owner())).map((row) => row.name),
      ['dev'],
    );
  });

  test('forged, expired, tampered, foreign and wrong-key operator tokens are 401 everywhere', async () => {
    const { project } = await createProject(hub);
    const endUser = String(
      expectOk(
        await hub.call('POST', '/api/endusers/signup', {
          project,
          env: 'dev',
          email: 'u@example.com',
          password: 'user-password',
        }),
      ).access_token,
    );
    const bad = [
      'operator-token',
      'operator:owner@example.com',
      'v4.local.garbage',
      '',
      endUser,
      tamper(hub.owner, -1),
      tamper(hub.owner, 20),
      operatorToken('k1:attacker-secret-0000000000'),
      operatorToken(TEST_ENV.STK_PASETO_KEYS, { now: new Date(Date.now() - 9 * 3600_000) }),
    ];
    const routes: [string, string, unknown][] = [
      ['GET', '/api/auth/whoami', undefined],
      ['GET', '/api/projects', undefined],
      ['POST', '/api/projects', { project: 'x' }],
      ['GET', `/api/releases?project=${project}&env=dev`, undefined],
      ['POST', '/api/apply', { project, env: 'dev', ref: 'r' }],
      ['GET', `/api/apikeys/list?project=${project}&env=dev`, undefined],
    ];
    for (const token of bad) {
      for (const [method, path, body] of routes)
        expectError(await hub.call(method, path, body, { token }), 401, 'UNAUTHORIZED');
    }
    expectError(
      await hub.call('GET', '/api/auth/whoami', undefined, {
        headers: { authorization: `Basic ${Buffer.from('owner@example.com:password').toString('base64')}` },
      }),
      401,
      'UNAUTHORIZED',
    );
    expectOk(
      await hub.call('GET', '/api/auth/whoami', undefined, { token: operatorToken(TEST_ENV.STK_PASETO_KEYS) }),
      'a genuine token of the same keys works',
    );
  });

  test('end-user tokens: expired, wrong-key, other-project and tampered ones do not verify; key rotation keeps old tokens valid', async () => {
    const a = await createProject(hub);
    const b = await createProject(hub);
    const verify = async (token: string) =>
      expectOk(await hub.call('POST', '/internal/tokens/verify', { token }, service)).valid;
    const keys = (secrets: string, project: string) => deriveAccessKeys(parsePasetoKeys(secrets), project, 'dev');
    const issue = (secrets: string, project: string, now?: Date) =>
      issueAccessToken(keys(secrets, project)[0]!, {
        sub: 's',
        roles: ['admin'],
        project,
        env: 'dev',
        ttlSeconds: 3600,
        ...(now ? { now } : {}),
      });
    assert.equal(await verify(issue(TEST_ENV.STK_PASETO_KEYS, a.project)), true);
    assert.equal(
      await verify(issue(TEST_ENV.STK_PASETO_KEYS, a.project, new Date(Date.now() - 2 * 3600_000))),
      false,
      'expired',
    );
    assert.equal(await verify(issue('k1:attacker-secret-0000000000', a.project)), false, 'wrong key');
    const [v, local, payload] = issue(TEST_ENV.STK_PASETO_KEYS, b.project).split('.');
    const footer = Buffer.from(JSON.stringify({ kid: 'k1', project: a.project, env: 'dev' })).toString('base64url');
    assert.equal(await verify([v, local, payload, footer].join('.')), false, 'another project relabelled');
    assert.equal(await verify(tamper(issue(TEST_ENV.STK_PASETO_KEYS, a.project), 30)), false, 'tampered payload');
    const old = String(
      expectOk(
        await hub.call('POST', '/api/endusers/signup', {
          project: a.project,
          env: 'dev',
          email: 'r@example.com',
          password: 'user-password',
        }),
      ).access_token,
    );
    const rotatedConfig = {
      ...hub.deps.config,
      pasetoKeys: parsePasetoKeys(`k2:rotated-secret-0000000001,${TEST_ENV.STK_PASETO_KEYS}`),
    };
    const rotated = createHubApp({ ...hub.deps, config: rotatedConfig });
    const call = async (path: string, body: unknown, headers: Record<string, string> = {}) =>
      (
        await rotated.request(path, {
          method: 'POST',
          headers: { 'content-type': 'application/json', ...headers },
          body: JSON.stringify(body),
        })
      ).json() as Promise<Record<string, unknown>>;
    assert.equal(
      (await call('/internal/tokens/verify', { token: old }, service.headers)).valid,
      true,
      'old kid still verifies',
    );
    const fresh = String(
      (
        await call('/api/endusers/login', {
          project: a.project,
          env: 'dev',
          email: 'r@example.com',
          password: 'user-password',
        })
      ).access_token,
    );
    assert.equal(
      JSON.parse(Buffer.from(fresh.split('.')[3] ?? '', 'base64url').toString()).kid,
      'k2',
      'the first key signs',
    );
    const whoami = await rotated.request('/api/auth/whoami', { headers: { authorization: `Bearer ${hub.owner}` } });
    assert.equal(whoami.status, 200, 'operator tokens survive rotation too');
  });

  test('revoked API keys stop verifying at once; the service token guards every internal route', async () => {
    const { project } = await createProject(hub);
    const key = String(
      expectOk(
        await hub.call('POST', '/api/apikeys/create', { project, env: 'dev', name: 'ci', roles: ['admin'] }, owner()),
      ).api_key,
    );
    const [keyId, secret] = key.split('.');
    const verify = async () =>
      expectOk(await hub.call('POST', '/internal/apikeys/verify', { key_id: keyId, secret }, service)).valid;
    assert.equal(await verify(), true);
    expectOk(await hub.call('POST', '/api/apikeys/revoke', { project, env: 'dev', key_id: 'ci' }, owner()));
    assert.equal(await verify(), false);
    for (const [method, path] of [
      ['POST', '/internal/apikeys/verify'],
      ['POST', '/internal/tokens/verify'],
      ['GET', `/internal/keys/${project}/dev`],
      ['GET', '/internal/releases/x'],
    ]) {
      expectError(
        await hub.call(method ?? 'GET', path ?? '/', method === 'POST' ? {} : undefined, { token: hub.owner }),
        401,
        'UNAUTHORIZED',
      );
    }
  });

  test('no response body, cookie or log line outside the one-time places holds a planted secret', async () => {
    const password = 'conn-pw-planted-7731';
    const { project, urls } = await createProject(hub, ['dev']);
    const replies: [string, Reply][] = [];
    const track = async (label: string, reply: Promise<Reply>) => {
      const done = await reply;
      replies.push([label, done]);
      return done;
    };
    const db = (urls.dev ?? '').replace('postgres:postgres@', `postgres:${password}@`);
    await track(
      'set bad',
      hub.call(
        'POST',
        '/api/connections/set',
        { project, env: 'dev', name: 'spare', engine: 'postgres', db_url: db },
        owner(),
      ),
    );
    await track('list', hub.call('GET', `/api/connections/list?project=${project}&env=dev`, undefined, owner()));
    await track(
      'show',
      hub.call('GET', `/api/connections/show?project=${project}&env=dev&name=spare`, undefined, owner()),
    );
    await track('test', hub.call('POST', '/api/connections/test', { project, env: 'dev', name: 'spare' }, owner()));
    await track(
      'apply',
      hub.call(
        'POST',
        '/api/apply',
        {
          project,
          env: 'dev',
          ref: 'r1',
          schema: [{ file: 's.yaml', content: 'tables:\n  t:\n    connection: spare\n' }],
        },
        owner(),
      ),
    );
    await track('snapshot', hub.call('POST', '/api/schema/snapshot', { project, env: 'dev' }, owner()));
    const created = await hub.call(
      'POST',
      '/api/apikeys/create',
      { project, env: 'dev', name: 'srv', roles: ['admin'] },
      owner(),
    );
    const apiSecret = String(created.json?.api_key).split('.')[1] ?? 'missing';
    await track('key list', hub.call('GET', `/api/apikeys/list?project=${project}&env=dev`, undefined, owner()));
    await track(
      'key dup',
      hub.call('POST', '/api/apikeys/create', { project, env: 'dev', name: 'srv', roles: ['admin'] }, owner()),
    );
    await track('key revoke', hub.call('POST', '/api/apikeys/revoke', { project, env: 'dev', key_id: 'srv' }, owner()));
    const userPassword = 'user-pw-planted-5521';
    const signup = await hub.call('POST', '/api/endusers/signup', {
      project,
      env: 'dev',
      email: 'p@example.com',
      password: userPassword,
    });
    const accessToken = String(signup.json?.access_token);
    await track(
      'signup again',
      hub.call('POST', '/api/endusers/signup', { project, env: 'dev', email: 'p@example.com', password: userPassword }),
    );
    await track(
      'login wrong',
      hub.call('POST', '/api/endusers/login', {
        project,
        env: 'dev',
        email: 'p@example.com',
        password: `${userPassword}x`,
      }),
    );
    await track(
      'operator wrong',
      hub.call('POST', '/api/auth/login', {
        email: 'owner@example.com',
        password: `${TEST_ENV.STK_OPERATOR_PASSWORD}x`,
      }),
    );
    await track(
      'signup op',
      hub.call('POST', '/api/auth/signup', { email: 'owner@example.com', password: TEST_ENV.STK_OPERATOR_PASSWORD }),
    );
    await track('whoami', hub.call('GET', '/api/auth/whoami', undefined, owner()));
    const corrupt = createProject(hub).then(async ({ project: broken }) => {
      await hub.deps.store.query(`UPDATE hub_connections SET sealed_url = 'garbage' WHERE project = $1`, [broken]);
      return hub.call('GET', `/api/connections/list?project=${broken}&env=dev`, undefined, owner());
    });
    expectError(await track('corrupt', corrupt), 500, 'INTERNAL_ERROR', /^internal error$/);
    const planted = [
      password,
      apiSecret,
      userPassword,
      accessToken,
      hub.owner,
      TEST_ENV.STK_OPERATOR_PASSWORD,
      TEST_ENV.STK_SERVICE_TOKEN,
      TEST_ENV.STK_SECRET_KEY,
      'paseto-secret-for-tests-0001',
    ];
    for (const [label, reply] of replies) {
      const raw = `${reply.headers.get('set-cookie') ?? ''}\n${reply.text}`;
      for (const secret of planted)
        assert.ok(!raw.includes(secret), `${label} leaks a planted secret: ${raw.slice(0, 200)}`);
    }
    for (const line of hub.logs)
      for (const secret of planted) assert.ok(!line.includes(secret), `log line leaks: ${line}`);
    const stored = await hub.deps.store.query<{ sealed_url: string }>(
      `SELECT sealed_url FROM hub_connections WHERE name = 'spare'`,
    );
    assert.ok(!stored[0]?.sealed_url.includes(password), 'URLs are sealed at rest');
    const users = await hub.deps.store.query<{ password_hash: string }>(
      `SELECT password_hash FROM hub_end_users WHERE email = 'p@example.com'`,
    );
    assert.ok(!users[0]?.password_hash.includes(userPassword));
  });
});
