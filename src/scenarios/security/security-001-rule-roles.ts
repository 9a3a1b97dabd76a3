/**
 * Which callers a rule's `roles` admit (SECURITY-001, rule 1): `public` is
 * anyone, anonymous callers included; `authenticated` is any end-user caller,
 * whatever its `roles` claim says, and never an API key; other names compare
 * with the caller's roles.
 */
import assert from 'node:assert/strict';
import {
  applyFolder,
  adminCaller,
  bootstrapProject,
  defineScenario,
  expectError,
  expectRows,
  tokenWithClaims,
} from '../kit/index.ts';

const PERMISSIONS = [
  'tables:',
  '  notes:',
  '    select: { roles: [public] }',
  '    insert: { roles: [admin] }',
  '  users:',
  '    select: { roles: [authenticated] }',
  '    insert: { roles: [admin] }',
  '',
].join('\n');

export const ruleRoles = defineScenario(
  'SECURITY-001',
  'a public rule admits anonymous callers; an authenticated rule admits any end user, whatever its roles claim, and no API key',
  async (ctx) => {
    const { project, env, dir } = await bootstrapProject(ctx, 'cel_condition', { prefix: 'ruleroles' });
    await applyFolder(ctx, { project, env, ref: 'v2', dir }, { permissions: PERMISSIONS });
    const admin = await adminCaller(ctx, { project, env });
    const hints = { project, env };
    assert.equal(
      expectRows(await ctx.bridge.call('db/notes/insert', { data: { owner_id: 'o1', body: 'hi' } }, admin)).length,
      1,
    );
    const user = { id: 'u1', email: 'u1@example.com', name: null };
    assert.equal(expectRows(await ctx.bridge.call('db/users/insert', { data: user }, admin)).length, 1);

    const notes = expectRows(await ctx.bridge.call('db/notes/select', {}, hints));
    assert.deepEqual(
      notes.map(({ owner_id, body }) => ({ owner_id, body })),
      [{ owner_id: 'o1', body: 'hi' }],
      'public: an anonymous caller reads',
    );
    expectError(await ctx.bridge.call('db/users/select', {}, hints), 401, 'UNAUTHORIZED');

    // A token whose roles claim lacks `authenticated` is still an end user's.
    const readerOnly = await tokenWithClaims(ctx, hints, { sub: 'u1', roles: ['reader'] });
    const users = expectRows(await ctx.bridge.call('db/users/select', {}, { bearer: readerOnly, ...hints }));
    assert.deepEqual(users, [user], 'authenticated: any end-user caller');
    expectError(await ctx.bridge.call('db/users/select', {}, admin), 403, 'FORBIDDEN');
  },
);
