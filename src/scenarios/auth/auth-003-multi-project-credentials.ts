import assert from 'node:assert/strict';
import {
  bootstrapProject,
  createApiKey,
  defineScenario,
  endUserTokenFor,
  expectError,
  expectRows,
  expectStatus,
} from '../kit/index.ts';
import type { Credentials, ScenarioContext } from '../kit/index.ts';

const EMAIL = 'same@example.com';

interface Tenant {
  readonly project: string;
  readonly apiKey: string;
  readonly token: string;
  readonly row: string;
}

async function tenant(ctx: ScenarioContext, password: string): Promise<Tenant> {
  const { project } = await bootstrapProject(ctx, 'basic', { prefix: 'iso' });
  const apiKey = await createApiKey(ctx, project, 'dev', 'admin');
  const row = `${project}@rows.test`;
  expectStatus(await ctx.bridge.call('db/users/insert', { values: { email: row } }, { apiKey }), 200, 'seed row');
  const signup = await ctx.hub.post('/api/endusers/signup', { project, env: 'dev', email: EMAIL, password });
  expectStatus(signup, 200, 'signup');
  return { project, apiKey, token: (signup.json as { access_token: string }).access_token, row };
}

async function rowsOf(ctx: ScenarioContext, credentials: Credentials): Promise<string[]> {
  return expectRows<{ email: string }>(await ctx.bridge.call('db/users/select', {}, credentials)).map(
    (row) => row.email,
  );
}

const hints = (t: Tenant) => ({ project: t.project, env: 'dev' });
const cookie = (t: Tenant, token = t.token) => ({ [`stk_access_${t.project}_dev`]: token });

export const isolation = defineScenario(
  'AUTH-003',
  'the same email in two projects gets two users, tokens and row sets',
  async (ctx) => {
    const a = await tenant(ctx, 'password of a');
    const b = await tenant(ctx, 'password of b');
    assert.notEqual(a.token, b.token);
    expectError(
      await ctx.hub.post('/api/endusers/login', {
        project: a.project,
        env: 'dev',
        email: EMAIL,
        password: 'password of b',
      }),
      401,
      'UNAUTHORIZED',
    );
    assert.deepEqual(await rowsOf(ctx, { bearer: a.token, ...hints(a) }), [a.row]);
    assert.deepEqual(await rowsOf(ctx, { bearer: b.token, ...hints(b) }), [b.row]);
    assert.deepEqual(await rowsOf(ctx, { bearer: a.token, ...hints(a) }), [a.row], 'both tokens stay valid');
    for (const [token, other] of [
      [a.token, b],
      [b.token, a],
    ] as const) {
      const refused = await ctx.bridge.call('db/users/select', {}, { bearer: token, ...hints(other) });
      expectError(refused, 403, 'FORBIDDEN');
      assert.equal((refused.json as { data?: unknown }).data, undefined);
    }
    expectError(await ctx.bridge.call('db/users/select', {}, { apiKey: a.apiKey, ...hints(b) }), 403, 'FORBIDDEN');
  },
);

export const precedence = defineScenario(
  'AUTH-003',
  'API key beats bearer beats cookie; cookies are chosen by the hints',
  async (ctx) => {
    const a = await tenant(ctx, 'password of a');
    const b = await tenant(ctx, 'password of b');
    assert.deepEqual(await rowsOf(ctx, { cookies: cookie(a), ...hints(a) }), [a.row]);
    assert.deepEqual(await rowsOf(ctx, { cookies: cookie(a) }), [a.row], 'a single cookie needs no hints');
    const withOthers = { theme: 'dark', ...cookie(a), session: 'abc' };
    assert.deepEqual(await rowsOf(ctx, { cookies: withOthers }), [a.row], 'only stk_access_* cookies count');
    const both = { ...cookie(a), ...cookie(b) };
    assert.deepEqual(await rowsOf(ctx, { cookies: both, ...hints(b) }), [b.row]);
    assert.deepEqual(await rowsOf(ctx, { cookies: both, ...hints(a) }), [a.row]);
    assert.deepEqual(await rowsOf(ctx, { apiKey: a.apiKey, bearer: b.token }), [a.row], 'the API key wins');
    assert.deepEqual(await rowsOf(ctx, { apiKey: a.apiKey, bearer: 'garbage' }), [a.row], 'the bearer is not examined');
    assert.deepEqual(await rowsOf(ctx, { bearer: a.token, cookies: cookie(b) }), [a.row], 'bearer beats cookie');
    assert.deepEqual(await rowsOf(ctx, { apiKey: '', bearer: b.token }), [b.row], 'an empty API key header is no key');
    const keyOnly = await ctx.bridge.call('db/users/select', {}, { apiKey: a.apiKey });
    const keyAndCookie = await ctx.bridge.call(
      'db/users/select',
      {},
      { apiKey: a.apiKey, cookies: cookie(a), ...hints(a) },
    );
    assert.deepEqual(keyAndCookie.json, keyOnly.json, 'the cookie adds nothing to the API key');
  },
);

export const credentialFailures = defineScenario(
  'AUTH-003',
  'the chosen credential decides alone, and mismatches are refused',
  async (ctx) => {
    const a = await tenant(ctx, 'password of a');
    const b = await tenant(ctx, 'password of b');
    const badKey = `${a.apiKey.split('.')[0]}.wrong-secret`;
    expectError(
      await ctx.bridge.call('db/users/select', {}, { apiKey: badKey, bearer: a.token, ...hints(a) }),
      401,
      'UNAUTHORIZED',
    );
    const account = { project: a.project, env: 'dev', email: EMAIL, password: 'password of a' };
    const expired = (await endUserTokenFor(ctx, account, -60_000)).token;
    expectError(
      await ctx.bridge.call('db/users/select', {}, { bearer: expired, cookies: cookie(a), ...hints(a) }),
      401,
      'UNAUTHORIZED',
    );
    assert.deepEqual(
      await rowsOf(ctx, { apiKey: a.apiKey, bearer: expired }),
      [a.row],
      'the expired bearer is not examined',
    );
    expectError(
      await ctx.bridge.call('db/users/select', {}, { bearer: b.token, cookies: cookie(a), ...hints(a) }),
      403,
      'FORBIDDEN',
    );
    const noHints = await ctx.bridge.call('db/users/select', {}, { cookies: { ...cookie(a), ...cookie(b) } });
    const message = expectError(noHints, 401, 'UNAUTHORIZED').message;
    assert.match(message, /X-Santokit-Project/);
    assert.match(message, /X-Santokit-Env/);
    expectError(
      await ctx.bridge.call('db/users/select', {}, { cookies: cookie(a, b.token), ...hints(a) }),
      403,
      'FORBIDDEN',
    );
    // Without hints the single cookie is chosen by itself, and its name still binds the token inside.
    expectError(await ctx.bridge.call('db/users/select', {}, { cookies: cookie(a, b.token) }), 403, 'FORBIDDEN');
    expectError(
      await ctx.bridge.call('db/users/select', {}, { cookies: cookie(a, 'garbage'), ...hints(a) }),
      401,
      'UNAUTHORIZED',
    );
    expectError(
      await ctx.bridge.call('db/users/select', {}, { bearer: a.token, headers: { 'x-santokit-project': a.project } }),
      400,
      'BAD_REQUEST',
    );
    expectError(await ctx.bridge.call('db/users/select', {}, hints(a)), 401, 'UNAUTHORIZED');
    // With hints A only stk_access_A_dev is read: B's cookie alone leaves the caller anonymous.
    expectError(await ctx.bridge.call('db/users/select', {}, { cookies: cookie(b), ...hints(a) }), 401, 'UNAUTHORIZED');
  },
);
