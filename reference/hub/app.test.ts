/** In-process route tests of the Hub against a real PostgreSQL. */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import pg from 'pg';
import { startTestPostgres, type TestPostgres } from '../testing/postgres.ts';
import { createHubApp } from './app.ts';
import { readConfig } from './config.ts';
import { createSealer } from './crypto.ts';
import type { HubApp, HubDeps } from './deps.ts';
import { ensureBootstrapOperator } from './routes/operators.ts';
import { openStore } from './store.ts';

const SECRET_PASSWORD = 'pw-never-shown-4711';
let postgres: TestPostgres;
let deps: HubDeps;
let app: HubApp;
let owner = '';
let counter = 0;

async function call(method: string, path: string, body?: unknown, token?: string, headers: Record<string, string> = {}) {
  const response = await app.request(path, {
    method,
    headers: { ...(body !== undefined ? { 'content-type': 'application/json' } : {}), ...(token ? { authorization: `Bearer ${token}` } : {}), ...headers },
    ...(body !== undefined ? { body: typeof body === 'string' ? body : JSON.stringify(body) } : {}),
  });
  const text = await response.text();
  return { status: response.status, text, json: text ? (JSON.parse(text) as Record<string, any>) : undefined, headers: response.headers };
}

async function setupEnv(env = 'dev') {
  counter += 1;
  const project = `p${counter}`;
  const url = (await postgres.createDatabase(`db_${project}_${env}`)).replace('postgres:postgres@', `postgres:postgres@`);
  assert.equal((await call('POST', '/api/projects', { project }, owner)).status, 200);
  assert.equal((await call('POST', '/api/envs', { project, env }, owner)).status, 200);
  assert.equal((await call('POST', '/api/connections/set', { project, env, name: 'main', engine: 'postgres', db_url: url }, owner)).status, 200);
  return { project, env, url };
}

const USERS = { file: 'schema/users.yaml', content: 'tables:\n  users:\n    columns:\n      email: { type: string, unique: true }\n      name: { type: string, nullable: true }\n' };

describe('reference Hub', () => {
  before(async () => {
    postgres = await startTestPostgres();
    const config = readConfig({ STK_HUB_DB_URL: await postgres.createDatabase('hub'), STK_PASETO_KEYS: 'k1:0123456789abcdef-test', STK_SECRET_KEY: 'seal-key-for-tests', STK_SERVICE_TOKEN: 'svc-token' });
    deps = { store: await openStore(config.databaseUrl), config, sealer: createSealer(config.secretKey), log: () => undefined };
    await ensureBootstrapOperator(deps);
    app = createHubApp(deps);
    owner = (await call('POST', '/api/auth/login', { email: 'owner@example.com', password: 'password' })).json?.token;
  });
  after(async () => {
    await deps.store.close();
    await postgres.stop();
  });

  test('every error is the envelope with a request id, also for malformed input', async () => {
    for (const [response, code] of [
      [await call('POST', '/api/projects', '{nope', owner), 'BAD_REQUEST'],
      [await call('POST', '/api/projects', { project: 'x' }, owner, { 'content-type': 'text/plain' }), 'BAD_REQUEST'],
      [await call('POST', '/api/projects', {}, owner), 'BAD_REQUEST'],
      [await call('GET', '/api/nowhere'), 'NOT_FOUND'],
      [await call('POST', '/api/projects', { project: 'x' }), 'UNAUTHORIZED'],
    ] as const) {
      assert.equal(response.json?.error?.code, code, response.text);
      assert.equal(response.json?.error?.requestId, response.headers.get('x-request-id'));
    }
  });

  test('operator tokens are verified: forged, foreign and garbage tokens are 401', async () => {
    assert.equal((await call('POST', '/api/auth/login', { email: 'owner@example.com', password: 'wrong' })).status, 401);
    const endUserToken = (await call('POST', '/api/endusers/signup', { ...(await setupEnv()), email: 'u@x.y', password: 'password1' }))?.json?.access_token as string;
    for (const token of ['operator-token', 'v4.local.garbage', endUserToken, `${owner.slice(0, -4)}AAAA`]) {
      assert.equal((await call('GET', '/api/auth/whoami', undefined, token)).status, 401, token.slice(0, 20));
    }
  });

  test('apply is idempotent for the same ref and content, and a new ref makes a new release', async () => {
    const { project, env } = await setupEnv();
    const body = { project, env, ref: 'v1', schema: [USERS], permissions: null, logics: null };
    const first = await call('POST', '/api/apply', body, owner);
    assert.equal(first.status, 200, first.text);
    assert.equal(first.json?.reused, false);
    const again = await call('POST', '/api/apply', body, owner);
    assert.deepEqual([again.json?.release_id, again.json?.reused, again.json?.plan], [first.json?.release_id, true, []]);
    const newRef = await call('POST', '/api/apply', { ...body, ref: 'v2' }, owner);
    assert.notEqual(newRef.json?.release_id, first.json?.release_id);
  });

  test('invalid schemas are SCHEMA_VALIDATION_FAILED naming file and path, and run no DDL', async () => {
    const { project, env, url } = await setupEnv();
    const bad = { file: 'schema/bad.yaml', content: 'tables:\n  users:\n    columns:\n      age: { type: uuidish }\n' };
    const response = await call('POST', '/api/apply', { project, env, ref: 'v1', schema: [bad] }, owner);
    assert.equal(response.json?.error?.code, 'SCHEMA_VALIDATION_FAILED');
    assert.deepEqual(response.json?.error?.details, { file: 'schema/bad.yaml', path: 'tables.users.columns.age.type' });
    const injected = { file: 'schema/x.yaml', content: 'tables:\n  \'users"; drop table tags; --\':\n    columns: {}\n' };
    assert.equal((await call('POST', '/api/apply', { project, env, ref: 'v1', schema: [injected] }, owner)).json?.error?.code, 'SCHEMA_VALIDATION_FAILED');
    const client = new pg.Client(url);
    await client.connect();
    const tables = await client.query(`SELECT count(*)::int AS n FROM information_schema.tables WHERE table_schema = 'public'`);
    await client.end();
    assert.equal(tables.rows[0].n, 0);
  });

  test('drift gate: snapshot, out-of-band change blocks promote with SCHEMA_DRIFT, fixing it unblocks', async () => {
    const { project, url } = await setupEnv('dev');
    const prodUrl = await postgres.createDatabase(`db_${project}_prod`);
    await call('POST', '/api/envs', { project, env: 'prod' }, owner);
    await call('POST', '/api/connections/set', { project, env: 'prod', name: 'main', engine: 'postgres', db_url: prodUrl }, owner);
    const body = { ref: 'v1', schema: [USERS] };
    assert.equal((await call('POST', '/api/apply', { ...body, project, env: 'dev' }, owner)).status, 200);
    assert.equal((await call('POST', '/api/apply', { ...body, project, env: 'prod' }, owner)).status, 200);
    const client = new pg.Client(prodUrl);
    await client.connect();
    await client.query('ALTER TABLE users ADD COLUMN nickname text');
    const blocked = await call('POST', '/api/releases/promote', { project, from: 'dev', to: 'prod' }, owner);
    assert.equal(blocked.status, 409);
    assert.equal(blocked.json?.error?.code, 'SCHEMA_DRIFT');
    assert.match(blocked.json?.error?.message, /on connection main: extra column users\.nickname/);
    await client.query('ALTER TABLE users DROP COLUMN nickname');
    await client.end();
    assert.equal((await call('POST', '/api/releases/promote', { project, from: 'dev', to: 'prod' }, owner)).status, 200);
    void url;
  });

  test('RBAC: a viewer cannot apply or create keys, pending invites grant nothing, removal revokes at once', async () => {
    const { project, env } = await setupEnv();
    await call('POST', '/api/auth/signup', { email: 'viewer@x.y', password: 'viewer-password' });
    const viewer = (await call('POST', '/api/auth/login', { email: 'viewer@x.y', password: 'viewer-password' })).json?.token;
    assert.equal((await call('POST', '/api/apply', { project, env, ref: 'v1', schema: [] }, viewer)).status, 403);
    await call('POST', '/api/project/invite', { project, email: 'viewer@x.y', role: 'deployer' }, owner);
    assert.equal((await call('POST', '/api/apply', { project, env, ref: 'v1', schema: [] }, viewer)).status, 403, 'pending grants nothing');
    assert.equal((await call('POST', '/api/project/accept', { project }, viewer)).status, 200);
    assert.equal((await call('POST', '/api/apply', { project, env, ref: 'v1', schema: [] }, viewer)).status, 200);
    assert.equal((await call('POST', '/api/apikeys/create', { project, env, name: 'k', roles: ['admin'] }, viewer)).status, 403, 'deployer manages no keys');
    await call('POST', '/api/project/remove', { project, email: 'viewer@x.y' }, owner);
    assert.equal((await call('POST', '/api/apply', { project, env, ref: 'v2', schema: [] }, viewer)).status, 403);
  });

  test('API keys: secrets hashed, verify via internal route, revocation immediate; internal routes need the service token', async () => {
    const { project, env } = await setupEnv();
    const created = await call('POST', '/api/apikeys/create', { project, env, name: 'server', roles: ['admin'] }, owner);
    const [keyId, secret] = String(created.json?.api_key).split('.');
    const stored = await deps.store.query<{ secret_hash: string }>(`SELECT secret_hash FROM hub_api_keys WHERE id = $1`, [keyId]);
    assert.ok(!stored[0]?.secret_hash.includes(secret ?? '-'), 'the secret is not stored');
    const svc = { 'x-santokit-service-token': 'svc-token' };
    assert.equal((await call('POST', '/internal/apikeys/verify', { key_id: keyId, secret })).status, 401);
    assert.equal((await call('POST', '/internal/apikeys/verify', { key_id: keyId, secret }, undefined, svc)).json?.valid, true);
    await call('POST', '/api/apikeys/revoke', { project, env, key_id: keyId }, owner);
    assert.equal((await call('POST', '/internal/apikeys/verify', { key_id: keyId, secret }, undefined, svc)).json?.valid, false);
    const listed = await call('GET', `/api/apikeys/list?project=${project}&env=${env}`, undefined, owner);
    assert.equal(listed.json?.[0]?.status, 'revoked');
    assert.ok(!listed.text.includes(secret ?? '-'));
  });

  test('no response reveals a connection password, an operator password or a key secret', async () => {
    const { project, env } = await setupEnv();
    await call('POST', '/api/connections/set', { project, env, name: 'other', engine: 'postgres', db_url: `postgres://u:${SECRET_PASSWORD}@127.0.0.1:1/x` }, owner);
    const responses = [
      await call('GET', `/api/connections/list?project=${project}&env=${env}`, undefined, owner),
      await call('GET', `/api/connections/show?project=${project}&env=${env}&name=other`, undefined, owner),
      await call('POST', '/api/connections/test', { project, env, name: 'other' }, owner),
      await call('POST', '/api/auth/login', { email: 'owner@example.com', password: SECRET_PASSWORD }),
    ];
    for (const response of responses) assert.ok(!response.text.includes(SECRET_PASSWORD), response.text);
    const sealed = await deps.store.query<{ sealed_url: string }>(`SELECT sealed_url FROM hub_connections WHERE name = 'other'`);
    assert.ok(!sealed[0]?.sealed_url.includes(SECRET_PASSWORD), 'sealed at rest');
  });
});
