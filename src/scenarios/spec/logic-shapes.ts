/** plan/spec/call-api.md "Response shapes" for logics: a result set answers rows, a statement without one `{ affected }`. */
import assert from 'node:assert/strict';
import {
  adminCaller,
  bootstrapProject,
  defineScenario,
  expectAffected,
  expectDataOnly,
  expectRows,
  expectStatus,
} from '../kit/index.ts';

export const logicShapes = defineScenario(
  'LOGICS-003',
  'a logic with a result set answers rows, one without answers { affected }',
  async (ctx) => {
    const { project, env, database } = await bootstrapProject(ctx, 'spec_contracts', { prefix: 'specshape' });
    const who = await adminCaller(ctx, { project, env });
    for (const email of ['b@example.com', 'a@example.com']) {
      expectStatus(await ctx.bridge.call('db/users/insert', { values: { email } }, who), 200, `insert ${email}`);
    }
    assert.deepEqual(expectDataOnly(await ctx.bridge.call('logics/list_emails', {}, who), 'select logic'), [
      { email: 'a@example.com' },
      { email: 'b@example.com' },
    ]);
    assert.deepEqual(
      expectDataOnly(await ctx.bridge.call('logics/hello', undefined, { project, env }), 'public logic, anonymous'),
      [{ greeting: 'hello' }],
    );
    assert.deepEqual(
      expectDataOnly(
        await ctx.bridge.call('logics/rename', { email: 'a@example.com', name: 'Ann' }, who),
        'execute logic',
      ),
      { affected: 1 },
    );
    expectAffected(await ctx.bridge.call('logics/rename', { email: 'nobody@example.com', name: 'X' }, who), 0);
    const stored = await ctx.db.query(database.name, 'SELECT email, name FROM users ORDER BY email');
    assert.deepEqual(
      stored,
      [
        { email: 'a@example.com', name: 'Ann' },
        { email: 'b@example.com', name: null },
      ],
      'the execute logic wrote exactly one row',
    );
    assert.equal(expectRows(await ctx.bridge.call('logics/list_emails', {}, who)).length, 2);
  },
);
