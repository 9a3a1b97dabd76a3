import assert from 'node:assert/strict';
import { bootstrapProject, createApiKey, defineScenario, expectEnvelope, expectRows, signupAndLogin } from '../kit/index.ts';

export const whoamiPerCaller = defineScenario('LOGICS-001', 'whoami answers each caller its own subject and roles, by bearer, cookie or API key', async (ctx) => {
  const { project, env } = await bootstrapProject(ctx, 'logics_call', { prefix: 'whoami' });
  const [a, b] = await Promise.all([signupAndLogin(ctx, project, env), signupAndLogin(ctx, project, env)]);
  const hints = { project, env };
  assert.deepEqual(expectRows(await ctx.bridge.call('logics/whoami', undefined, { bearer: a.accessToken, ...hints })), [{ sub: a.sub, roles: ['authenticated', 'reader'] }]);
  const asB = expectRows<{ sub: string }>(await ctx.bridge.call('logics/whoami', undefined, { bearer: b.accessToken, ...hints }));
  assert.equal(asB.length, 1);
  assert.equal(asB[0]?.sub, b.sub);
  assert.notEqual(b.sub, a.sub);
  const cookie = { [`stk_access_${project}_${env}`]: a.accessToken };
  assert.deepEqual(expectRows(await ctx.bridge.call('logics/whoami', undefined, { cookies: cookie, ...hints })), [{ sub: a.sub, roles: ['authenticated', 'reader'] }]);
  const key = await createApiKey(ctx, project, env, 'admin,ops');
  assert.deepEqual(expectRows(await ctx.bridge.call('logics/whoami', undefined, { apiKey: key, ...hints })), [{ sub: key.split('.')[0], roles: ['admin', 'ops'] }]);
});

export const whoamiRefusals = defineScenario('LOGICS-001', 'whoami refuses missing, invalid and foreign credentials and a caller-supplied auth.sub', async (ctx) => {
  const { project, env } = await bootstrapProject(ctx, 'logics_call', { prefix: 'whoami' });
  const a = await signupAndLogin(ctx, project, env);
  const hints = { project, env };
  const anonymous = await ctx.bridge.call('logics/whoami', undefined, hints);
  expectEnvelope(anonymous, { what: 'no credential', status: 401, code: 'UNAUTHORIZED' });
  expectEnvelope(await ctx.bridge.call('logics/whoami', undefined, { bearer: 'not-a-token', ...hints }), { what: 'a bearer that is no token', status: 401, code: 'UNAUTHORIZED' });
  const foreign = { bearer: a.accessToken, project: ctx.uniqueName('other'), env };
  expectEnvelope(await ctx.bridge.call('logics/whoami', undefined, foreign), { what: 'hints of another project', status: 403, code: 'FORBIDDEN' });
  const forged = expectEnvelope(await ctx.bridge.call('logics/whoami', { 'auth.sub': 'someone-else' }, { bearer: a.accessToken, ...hints }), {
    what: 'auth.sub as a param',
    status: 400,
    code: 'BAD_REQUEST',
  });
  assert.equal(forged.message, 'unknown param: auth.sub');
  const missing = expectEnvelope(await ctx.bridge.call('logics/who_am_i', undefined, { bearer: a.accessToken, ...hints }), { what: 'unknown logic', status: 404, code: 'NOT_FOUND' });
  assert.equal(missing.message, 'logic not found: who_am_i');
});
