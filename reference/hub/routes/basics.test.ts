/** Health, the error envelope, operator accounts, projects, envs and connections. */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { createHubApp } from '../app.ts';
import type { HubDeps } from '../deps.ts';
import type { Store } from '../store.ts';
import { ensureBootstrapOperator } from './operators.ts';
import { createProject, expectError, expectOk, items, startHub, TEST_ENV, type Hub } from '../test-kit.ts';

let hub: Hub;

describe('Hub basics', () => {
  before(async () => {
    hub = await startHub();
  });
  after(() => hub.close());

  test('liveness answers ok with a request id; readiness asks the store and is 503 without it', async () => {
    for (const path of ['/health', '/healthz', '/readyz', '/internal/healthz']) {
      const reply = await hub.call('GET', path);
      assert.deepEqual([reply.status, reply.json], [200, { ok: true }], path);
      assert.match(reply.headers.get('x-request-id') ?? '', /^[0-9a-f-]{36}$/);
    }
    const broken: Store = { ...hub.deps.store, ping: () => Promise.reject(new Error('down')) };
    const hanging: Store = { ...hub.deps.store, ping: () => new Promise(() => undefined) };
    for (const store of [broken, hanging]) {
      const app = createHubApp({ ...hub.deps, store } satisfies HubDeps);
      const response = await app.request('/readyz');
      assert.equal(response.status, 503);
      assert.deepEqual(await response.json(), { ok: false }, 'a probe answer, not an error envelope (OPERATOR-007)');
      assert.ok(response.headers.get('x-request-id'));
    }
  });

  test('every malformed request gets the envelope, before or after authentication', async () => {
    const owner = { token: hub.owner };
    expectError(await hub.call('POST', '/api/projects', '{nope', owner), 400, 'BAD_REQUEST', /not valid JSON/);
    expectError(await hub.call('POST', '/api/projects', '[1]', owner), 400, 'BAD_REQUEST', /JSON object/);
    expectError(
      await hub.call(
        'POST',
        '/api/projects',
        { project: 'x' },
        { ...owner, headers: { 'content-type': 'text/plain' } },
      ),
      400,
      'BAD_REQUEST',
      /Content-Type/,
    );
    expectError(await hub.call('POST', '/api/projects', {}, owner), 400, 'BAD_REQUEST', /'project'/);
    expectError(await hub.call('POST', '/api/projects', { project: 7 }, owner), 400, 'BAD_REQUEST', /'project'/);
    expectError(
      await hub.call('POST', '/api/projects', { project: 'x'.repeat(1_100_000) }, owner),
      400,
      'BAD_REQUEST',
      /1 MiB/,
    );
    expectError(await hub.call('GET', '/api/nowhere'), 404, 'NOT_FOUND');
    expectError(await hub.call('DELETE', '/api/projects'), 404, 'NOT_FOUND');
    expectError(await hub.call('POST', '/api/projects', { project: 'x' }), 401, 'UNAUTHORIZED');
    const error = (await hub.call('GET', '/api/nowhere')).json?.error ?? {};
    assert.deepEqual(Object.keys(error).sort(), ['code', 'message', 'requestId']);
  });

  test('operators: bootstrap owner, signup, login, whoami', async () => {
    const whoami = expectOk(await hub.call('GET', '/api/auth/whoami', undefined, { token: hub.owner }));
    assert.deepEqual(whoami, { email: 'owner@example.com', org_role: 'owner' });
    expectError(
      await hub.call('POST', '/api/auth/login', { email: 'owner@example.com', password: 'password' }),
      401,
      'UNAUTHORIZED',
      /^invalid credentials$/,
    );
    expectError(
      await hub.call('POST', '/api/auth/login', { email: 'nobody@example.com', password: 'x' }),
      401,
      'UNAUTHORIZED',
      /^invalid credentials$/,
    );
    assert.deepEqual(
      expectOk(await hub.call('POST', '/api/auth/signup', { email: 'ana@example.com', password: 'ana-password' })),
      { ok: true, email: 'ana@example.com' },
    );
    expectError(
      await hub.call('POST', '/api/auth/signup', { email: 'ana@example.com', password: 'other-password' }),
      409,
      'CONFLICT',
    );
    expectError(
      await hub.call('POST', '/api/auth/signup', { email: 'bo@example.com', password: 'seven77' }),
      400,
      'BAD_REQUEST',
    );
    expectError(
      await hub.call('POST', '/api/auth/signup', { email: 'no-at-sign', password: 'long-enough' }),
      400,
      'BAD_REQUEST',
    );
    const ana = String(
      expectOk(await hub.call('POST', '/api/auth/login', { email: 'ana@example.com', password: 'ana-password' })).token,
    );
    assert.match(ana, /^v4\.local\./);
    assert.deepEqual(expectOk(await hub.call('GET', '/api/auth/whoami', undefined, { token: ana })), {
      email: 'ana@example.com',
      org_role: null,
    });
    expectError(
      await hub.call('POST', '/api/auth/login', { email: 'ana@example.com', password: 'other-password' }),
      401,
      'UNAUTHORIZED',
    );
    const stored = await hub.deps.store.query<{ password_hash: string }>(
      `SELECT password_hash FROM hub_operators WHERE email = 'ana@example.com'`,
    );
    assert.match(stored[0]?.password_hash ?? '', /^scrypt\$/);
  });

  test('the bootstrap owner is created once: a restart does not reset its password', async () => {
    await ensureBootstrapOperator({
      ...hub.deps,
      config: { ...hub.deps.config, operator: { email: 'owner@example.com', password: 'changed-password' } },
    });
    expectOk(
      await hub.call('POST', '/api/auth/login', {
        email: 'owner@example.com',
        password: TEST_ENV.STK_OPERATOR_PASSWORD,
      }),
    );
  });

  test('projects and envs: create, list, duplicates, bad names, unknown project', async () => {
    const owner = { token: hub.owner };
    const project = hub.unique('shop');
    assert.deepEqual(expectOk(await hub.call('POST', '/api/projects', { project }, owner)), { ok: true, project });
    expectError(
      await hub.call('POST', '/api/projects', { project }, owner),
      409,
      'CONFLICT',
      /^project already exists$/,
    );
    for (const bad of ['Bad Name', '1abc', 'a'.repeat(64), "x'; DROP TABLE hub_projects; --"]) {
      expectError(await hub.call('POST', '/api/projects', { project: bad }, owner), 400, 'BAD_REQUEST');
    }
    assert.ok(
      items(await hub.call('GET', '/api/projects', undefined, owner)).some((row) => String(row.name) === project),
    );
    expectOk(await hub.call('POST', '/api/envs', { project, env: 'dev' }, owner));
    expectOk(await hub.call('POST', '/api/envs', { project, env: 'prod' }, owner));
    expectError(
      await hub.call('POST', '/api/envs', { project, env: 'dev' }, owner),
      409,
      'CONFLICT',
      /^env already exists$/,
    );
    expectError(
      await hub.call('POST', '/api/envs', { project: 'nosuch', env: 'dev' }, owner),
      404,
      'NOT_FOUND',
      /^project not found$/,
    );
    expectError(await hub.call('POST', '/api/envs', { project, env: 'Dev Env' }, owner), 400, 'BAD_REQUEST');
    assert.deepEqual(
      items(await hub.call('GET', `/api/envs?project=${project}`, undefined, owner)).map((row) => row.name),
      ['dev', 'prod'],
    );
    expectError(await hub.call('GET', '/api/envs?project=nosuch', undefined, owner), 404, 'NOT_FOUND');
    expectError(await hub.call('GET', '/api/envs', undefined, owner), 400, 'BAD_REQUEST', /'project'/);
  });

  test('connections: set, list, show redacted, test, and every refusal', async () => {
    const owner = { token: hub.owner };
    const { project, urls } = await createProject(hub, ['dev']);
    const base = { project, env: 'dev' };
    const listed = items(await hub.call('GET', `/api/connections/list?project=${project}&env=dev`, undefined, owner));
    assert.equal(listed.length, 1);
    assert.equal(listed[0]?.name, 'main');
    assert.match(String(listed[0]?.redacted_url), /^postgres:\/\/postgres:\*\*\*@127\.0\.0\.1:\d+\/db_/);
    assert.ok(!JSON.stringify(listed).includes(':postgres@'), 'no password');
    const shown = expectOk(
      await hub.call('GET', `/api/connections/show?project=${project}&env=dev&name=main`, undefined, owner),
    );
    assert.deepEqual(Object.keys(shown).sort(), ['created_at', 'engine', 'name', 'redacted_url', 'updated_at']);
    assert.deepEqual(expectOk(await hub.call('POST', '/api/connections/test', { ...base, name: 'main' }, owner)), {
      ok: true,
      name: 'main',
    });
    expectError(
      await hub.call('POST', '/api/connections/test', { ...base, name: 'nosuch' }, owner),
      404,
      'NOT_FOUND',
      /^connection not found$/,
    );
    expectError(
      await hub.call('GET', `/api/connections/show?project=${project}&env=dev&name=nosuch`, undefined, owner),
      404,
      'NOT_FOUND',
    );
    const set = (extra: Record<string, string>) =>
      hub.call(
        'POST',
        '/api/connections/set',
        { ...base, name: 'other', engine: 'postgres', db_url: urls.dev, ...extra },
        owner,
      );
    expectError(await set({ engine: 'mysql' }), 400, 'BAD_REQUEST');
    expectError(await set({ db_url: 'not-a-url' }), 400, 'BAD_REQUEST');
    expectError(await set({ db_url: 'mysql://u:p@h/db' }), 400, 'BAD_REQUEST');
    expectError(await set({ name: 'has-dash' }), 400, 'BAD_REQUEST');
    expectError(await set({ env: 'nosuch' }), 404, 'NOT_FOUND', /^env not found$/);
    expectError(await set({ project: 'nosuch' }), 404, 'NOT_FOUND');
    assert.equal(
      items(await hub.call('GET', `/api/connections/list?project=${project}&env=dev`, undefined, owner)).length,
      1,
      'nothing stored',
    );
    expectOk(await set({ db_url: 'postgres://stk:hunter2@127.0.0.1:1/nowhere' }));
    const started = Date.now();
    const failed = await hub.call('POST', '/api/connections/test', { ...base, name: 'other' }, owner);
    expectError(failed, 400, 'BAD_REQUEST', /^connection failed: other$/);
    assert.ok(Date.now() - started < 10_000);
    expectOk(await set({ db_url: 'postgres://stk@127.0.0.1:1/nowhere' }));
    const updated = expectOk(
      await hub.call('GET', `/api/connections/show?project=${project}&env=dev&name=other`, undefined, owner),
    );
    assert.equal(
      updated.redacted_url,
      'postgres://stk@127.0.0.1:1/nowhere',
      'upserted; a URL without password is shown as is',
    );
  });
});
