/**
 * The `roles` claim is a list of strings (auth-credentials.md). Where an
 * entry is not a string, Santokit's Bridge at fd5bceb keeps the string
 * entries and drops the rest (`filter_map` over `as_str` in its
 * `authenticate`); the token itself stays valid.
 */
import assert from 'node:assert/strict';
import { bootstrapProject, defineScenario, expectRows, tokenWithClaims } from '../kit/index.ts';

export const nonStringRoles = defineScenario(
  'AUTH-001',
  'roles claim entries that are not strings are dropped, and the string entries still apply',
  async (ctx) => {
    const { project } = await bootstrapProject(ctx, 'logics_call', { prefix: 'roles' });
    const sub = 'a1b2c3d4-0000-4000-8000-000000000002';
    const roles = ['authenticated', 7, null, { role: 'admin' }, 'reader'];
    const token = await tokenWithClaims(ctx, { project, env: 'dev' }, { sub, roles });
    for (const credentials of [{ bearer: token }, { cookies: { [`stk_access_${project}_dev`]: token } }]) {
      const rows = expectRows(
        await ctx.bridge.call('logics/whoami', undefined, { ...credentials, project, env: 'dev' }),
      );
      assert.deepEqual(rows, [{ sub, roles: ['authenticated', 'reader'] }]);
    }
  },
);
