/** plan/spec/call-api.md "Response shapes": rows are arrays, writes are `{ affected }`, inserts one object. */
import assert from 'node:assert/strict';
import { bootstrapProject, createApiKey, defineScenario, expectDataOnly } from '../kit/index.ts';

export const crudShapes = defineScenario('CRUD-001', 'insert answers one row object, select an array, update and delete { affected }', async (ctx) => {
  const { project, env } = await bootstrapProject(ctx, 'spec_contracts', { prefix: 'specshape' });
  const who = { apiKey: await createApiKey(ctx, project, env, 'admin'), project, env };
  const inserted = expectDataOnly(await ctx.bridge.call('db/users/insert', { values: { email: 'shape@example.com' } }, who), 'insert');
  assert.ok(inserted !== null && typeof inserted === 'object' && !Array.isArray(inserted), 'insert data is an object');
  assert.equal((inserted as { email?: unknown }).email, 'shape@example.com');

  const rows = expectDataOnly(await ctx.bridge.call('db/users/select', { where: { email: 'shape@example.com' } }, who), 'select');
  assert.deepEqual(rows, [inserted], 'select returns an array holding the inserted row');
  assert.deepEqual(expectDataOnly(await ctx.bridge.call('db/users/select', { where: { email: 'none@example.com' } }, who), 'empty select'), []);

  const updates = [
    [{ where: { email: 'shape@example.com' }, data: { name: 'Shape' } }, 1],
    [{ where: { email: 'none@example.com' }, data: { name: 'Nobody' } }, 0],
  ] as const;
  for (const [params, affected] of updates) {
    assert.deepEqual(expectDataOnly(await ctx.bridge.call('db/users/update', params, who), 'update'), { affected });
  }
  assert.deepEqual(expectDataOnly(await ctx.bridge.call('db/users/delete', { where: { email: 'none@example.com' } }, who), 'delete nothing'), { affected: 0 });
  assert.deepEqual(expectDataOnly(await ctx.bridge.call('db/users/delete', { where: { email: 'shape@example.com' } }, who), 'delete'), { affected: 1 });
});
