import assert from 'node:assert/strict';
import {
  bootstrapProject,
  createApiKey,
  defineScenario,
  expectEnvelope,
  expectRow,
  expectRows,
  signupAndLogin,
} from '../kit/index.ts';

export const whoamiPerCaller = defineScenario(
  'LOGICS-001',
  'whoami answers each caller its own subject and roles, by bearer, cookie or API key',
  async (ctx) => {
    const { project, env } = await bootstrapProject(ctx, 'logics_call', { prefix: 'whoami' });
    const [a, b] = await Promise.all([signupAndLogin(ctx, project, env), signupAndLogin(ctx, project, env)]);
    const hints = { project, env };
    assert.deepEqual(
      expectRows(await ctx.bridge.call('logics/whoami', undefined, { bearer: a.accessToken, ...hints })),
      [{ sub: a.sub, roles: ['authenticated', 'reader'] }],
    );
    const asB = expectRows<{ sub: string }>(
      await ctx.bridge.call('logics/whoami', undefined, { bearer: b.accessToken, ...hints }),
    );
    assert.equal(asB.length, 1);
    assert.equal(asB[0]?.sub, b.sub);
    assert.notEqual(b.sub, a.sub);
    const cookie = { [`stk_access_${project}_${env}`]: a.accessToken };
    assert.deepEqual(expectRows(await ctx.bridge.call('logics/whoami', undefined, { cookies: cookie, ...hints })), [
      { sub: a.sub, roles: ['authenticated', 'reader'] },
    ]);
    const key = await createApiKey(ctx, project, env, 'admin,ops');
    assert.deepEqual(expectRows(await ctx.bridge.call('logics/whoami', undefined, { apiKey: key, ...hints })), [
      { sub: key.split('.')[0], roles: ['admin', 'ops'] },
    ]);
    // project-files.md: :auth.sub binds a string and :auth.roles a text array.
    assert.deepEqual(
      expectRows(await ctx.bridge.call('logics/whoami_types', undefined, { bearer: a.accessToken, ...hints })),
      [{ sub_type: 'text', roles_type: 'text[]' }],
    );
  },
);

export const whoamiOwnRow = defineScenario(
  'LOGICS-001',
  "a logic filtering by :auth.sub returns the caller's own row, and nothing for a caller without one",
  async (ctx) => {
    const { project, env } = await bootstrapProject(ctx, 'logics_call', { prefix: 'whoami' });
    const [a, b] = await Promise.all([signupAndLogin(ctx, project, env), signupAndLogin(ctx, project, env)]);
    const asA = { bearer: a.accessToken, project, env };
    const asB = { bearer: b.accessToken, project, env };
    expectRow(await ctx.bridge.call('db/profiles/insert', { values: { id: a.sub, email: 'a@example.com' } }, asA));
    assert.deepEqual(
      expectRows(await ctx.bridge.call('logics/whoami_profile', undefined, asA)),
      [{ id: a.sub, email: 'a@example.com' }],
      "A's own record",
    );
    assert.deepEqual(
      expectRows(await ctx.bridge.call('logics/whoami_profile', undefined, asB)),
      [],
      'a subject with no row: 200 and no rows, not an error',
    );
    expectRow(await ctx.bridge.call('db/profiles/insert', { values: { id: b.sub, email: 'b@example.com' } }, asB));
    assert.deepEqual(
      expectRows(await ctx.bridge.call('logics/whoami_profile', undefined, asB)),
      [{ id: b.sub, email: 'b@example.com' }],
      "B's own record, never A's",
    );
    expectEnvelope(await ctx.bridge.call('logics/whoami_profile', undefined, { project, env }), {
      what: 'no credential',
      status: 401,
      code: 'UNAUTHORIZED',
    });
  },
);

export const whoamiRefusals = defineScenario(
  'LOGICS-001',
  'whoami refuses missing, invalid and foreign credentials and a caller-supplied auth.sub',
  async (ctx) => {
    const { project, env } = await bootstrapProject(ctx, 'logics_call', { prefix: 'whoami' });
    const a = await signupAndLogin(ctx, project, env);
    const hints = { project, env };
    const anonymous = await ctx.bridge.call('logics/whoami', undefined, hints);
    expectEnvelope(anonymous, { what: 'no credential', status: 401, code: 'UNAUTHORIZED' });
    expectEnvelope(await ctx.bridge.call('logics/whoami', undefined, { bearer: 'not-a-token', ...hints }), {
      what: 'a bearer that is no token',
      status: 401,
      code: 'UNAUTHORIZED',
    });
    const foreign = { bearer: a.accessToken, project: ctx.uniqueName('other'), env };
    expectEnvelope(await ctx.bridge.call('logics/whoami', undefined, foreign), {
      what: 'hints of another project',
      status: 403,
      code: 'FORBIDDEN',
    });
    const forged = expectEnvelope(
      await ctx.bridge.call('logics/whoami', { 'auth.sub': 'someone-else' }, { bearer: a.accessToken, ...hints }),
      {
        what: 'auth.sub as a param',
        status: 400,
        code: 'BAD_REQUEST',
      },
    );
    assert.equal(forged.message, 'unknown param: auth.sub');
    const missing = expectEnvelope(
      await ctx.bridge.call('logics/who_am_i', undefined, { bearer: a.accessToken, ...hints }),
      { what: 'unknown logic', status: 404, code: 'NOT_FOUND' },
    );
    assert.equal(missing.message, 'logic not found: who_am_i');
  },
);
