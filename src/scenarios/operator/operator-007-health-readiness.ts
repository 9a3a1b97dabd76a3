import assert from 'node:assert/strict';
import {
  bootstrapProject,
  defineScenario,
  expectError,
  expectExit,
  expectStatus,
  setMainConnection,
} from '../kit/index.ts';

const OK = { ok: true };

export const hubHealth = defineScenario(
  'OPERATOR-007',
  'hub health and readiness answer ok with a request id',
  async (ctx) => {
    // /internal/healthz is the one internal route that needs no service token.
    for (const path of ['/health', '/healthz', '/readyz', '/internal/healthz']) {
      const response = await ctx.hub.get(path);
      expectStatus(response, 200, `hub ${path}`);
      assert.deepEqual(response.json, OK, `hub ${path} body`);
      assert.match(response.headers['x-request-id'] ?? '', /\S/, `hub ${path} has an X-Request-Id`);
    }
  },
);

export const bridgeHealth = defineScenario(
  'OPERATOR-007',
  'bridge health and readiness need no credential',
  async (ctx) => {
    for (const path of ['/health', '/healthz', '/readyz']) {
      const response = await ctx.bridge.http.get(path);
      expectStatus(response, 200, `bridge ${path}`);
      assert.deepEqual(response.json, OK, `bridge ${path} body`);
    }
  },
);

export const projectReadiness = defineScenario(
  'OPERATOR-007',
  'bridge readiness per project follows its release and database',
  async (ctx) => {
    const unknown = await ctx.bridge.http.get('/readyz', { query: { project: ctx.uniqueName('nosuch'), env: 'dev' } });
    expectStatus(unknown, 503, 'readiness of a project that does not exist');
    assert.deepEqual(unknown.json, { ok: false }, 'a probe answer, exactly {"ok": false}');

    const { project, database } = await bootstrapProject(ctx, 'basic');
    const ready = await ctx.bridge.http.get('/readyz', { query: { project, env: 'dev' } });
    expectStatus(ready, 200, 'readiness once the env has a release');
    assert.deepEqual(ready.json, OK);

    const closedPort = database.serviceUrl.replace(/:(\d+)\//, ':1/');
    expectExit(await setMainConnection(ctx, { project, env: 'dev' }, closedPort), 0);
    // The connection change reaches the Bridge before `stk connections set` returns: no waiting.
    const down = await ctx.bridge.http.get('/readyz', { query: { project, env: 'dev' } });
    expectStatus(down, 503, 'readiness with the database unreachable');
    assert.deepEqual(down.json, { ok: false });
    expectStatus(await ctx.bridge.http.get('/healthz'), 200, 'liveness is independent of project databases');

    expectExit(await setMainConnection(ctx, { project, env: 'dev' }, database.serviceUrl), 0);
    const back = await ctx.bridge.http.get('/readyz', { query: { project, env: 'dev' } });
    expectStatus(back, 200, 'readiness after the connection is fixed');
  },
);

export const readinessNeedsEnv = defineScenario(
  'OPERATOR-007',
  'bridge readiness with a project but no env is a bad request',
  async (ctx) => {
    expectError(await ctx.bridge.http.get('/readyz', { query: { project: 'shop' } }), 400, 'BAD_REQUEST');
  },
);
