/** plan/spec/conventions.md: update and delete need a non-empty where; a refused write changes nothing. */
import assert from 'node:assert/strict';
import {
  adminCaller,
  bootstrapProject,
  defineScenario,
  expectAffected,
  expectUpdated,
  expectEnvelope,
  expectStatus,
  signupAndLogin,
} from '../kit/index.ts';

export const whereGate = defineScenario(
  'CRUD-002',
  'update and delete without a non-empty where are refused and write nothing',
  async (ctx) => {
    const { project, env, database } = await bootstrapProject(ctx, 'spec_contracts', { prefix: 'specwhere' });
    const admin = await adminCaller(ctx, { project, env });
    for (const email of ['one@example.com', 'two@example.com']) {
      expectStatus(
        await ctx.bridge.call('db/users/insert', { values: { email, name: 'before' } }, admin),
        200,
        `insert ${email}`,
      );
    }
    const snapshot = () => ctx.db.query(database.name, 'SELECT id, email, name FROM users ORDER BY email');
    const before = await snapshot();
    const refused: [string, string, unknown][] = [
      ['update without where', 'db/users/update', { data: { name: 'after' } }],
      ['update with where {}', 'db/users/update', { where: {}, data: { name: 'after' } }],
      ['update with where null', 'db/users/update', { where: null, data: { name: 'after' } }],
      ['delete without where', 'db/users/delete', {}],
      ['delete without params', 'db/users/delete', undefined],
      ['delete with where {}', 'db/users/delete', { where: {} }],
    ];
    for (const [what, path, params] of refused) {
      const error = expectEnvelope(await ctx.bridge.call(path, params, admin), {
        what,
        status: 400,
        code: 'BAD_REQUEST',
      });
      assert.match(String(error.message), /requires a non-empty where/, `${what}: message names the gate`);
    }
    // An end user with a valid token meets the same gate (the project has no rule for it: the gate is not a permission).
    const user = await signupAndLogin(ctx, project, env);
    const asUser = await ctx.bridge.call('db/users/delete', { where: {} }, { bearer: user.accessToken, project, env });
    assert.ok([400, 403].includes(asUser.status), `an end user's empty delete is refused: ${asUser.status}`);
    assert.deepEqual(await snapshot(), before, 'no row changed or vanished');

    expectUpdated(
      await ctx.bridge.call('db/users/update', { where: { email: 'one@example.com' }, data: { name: 'after' } }, admin),
      1,
    );
    expectAffected(await ctx.bridge.call('db/users/delete', { where: { email: 'two@example.com' } }, admin), 1);
    const after = await snapshot();
    assert.deepEqual(
      after.map((row) => [row.email, row.name]),
      [['one@example.com', 'after']],
      'a scoped update and delete touch exactly their rows',
    );
  },
);
