/** plan/spec/call-api.md "Response shapes": select, insert and update answer rows (arrays); delete `{ affected }`. */
import assert from 'node:assert/strict';
import { adminCaller, bootstrapProject, defineScenario, expectDataOnly } from '../kit/index.ts';

export const crudShapes = defineScenario(
  'CRUD-001',
  'insert, select and update answer arrays of rows, delete { affected }',
  async (ctx) => {
    const { project, env } = await bootstrapProject(ctx, 'spec_contracts', { prefix: 'specshape' });
    const who = await adminCaller(ctx, { project, env });
    const insertedRows = expectDataOnly(
      await ctx.bridge.call('db/users/insert', { values: { email: 'shape@example.com' } }, who),
      'insert',
    );
    assert.ok(
      Array.isArray(insertedRows) && insertedRows.length === 1,
      'insert data is an array of the one row written',
    );
    const inserted = insertedRows[0] as { email?: unknown };
    assert.equal(inserted.email, 'shape@example.com');
    assert.ok(!('ids' in inserted) && !('generated_id' in inserted), 'no legacy id members');

    const rows = expectDataOnly(
      await ctx.bridge.call('db/users/select', { where: { email: 'shape@example.com' } }, who),
      'select',
    );
    assert.deepEqual(rows, [inserted], 'select returns an array holding the inserted row');
    assert.deepEqual(
      expectDataOnly(
        await ctx.bridge.call('db/users/select', { where: { email: 'none@example.com' } }, who),
        'empty select',
      ),
      [],
    );

    const updates = [
      [{ where: { email: 'shape@example.com' }, data: { name: 'Shape' } }, 1],
      [{ where: { email: 'none@example.com' }, data: { name: 'Nobody' } }, 0],
    ] as const;
    for (const [params, count] of updates) {
      const written = expectDataOnly(await ctx.bridge.call('db/users/update', params, who), 'update');
      assert.ok(
        Array.isArray(written) && written.length === count,
        `update answers the ${count} changed row(s): ${JSON.stringify(written)}`,
      );
      if (count === 1) assert.equal((written[0] as { name?: unknown }).name, 'Shape', 'the row as it now is');
    }
    assert.deepEqual(
      expectDataOnly(
        await ctx.bridge.call('db/users/delete', { where: { email: 'none@example.com' } }, who),
        'delete nothing',
      ),
      { affected: 0 },
    );
    assert.deepEqual(
      expectDataOnly(
        await ctx.bridge.call('db/users/delete', { where: { email: 'shape@example.com' } }, who),
        'delete',
      ),
      { affected: 1 },
    );
  },
);
