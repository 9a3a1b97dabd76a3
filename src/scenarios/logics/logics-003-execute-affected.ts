import assert from 'node:assert/strict';
import {
  adminCaller,
  bootstrapProject,
  defineScenario,
  expectAffected,
  expectDataOnly,
  expectEnvelope,
  expectRows,
  signupAndLogin,
} from '../kit/index.ts';
import type { ScenarioContext } from '../kit/index.ts';

async function setup(ctx: ScenarioContext) {
  const target = await bootstrapProject(ctx, 'logics_call', { prefix: 'execute' });
  const admin = await adminCaller(ctx, target);
  const rows = () =>
    ctx.db.query<{ name: string; owner_id: string | null }>(
      target.database.name,
      'SELECT name, owner_id FROM items ORDER BY name',
    );
  return { ...target, admin, rows };
}

export const executeCounts = defineScenario(
  'LOGICS-003',
  'statements without a result set answer { affected }, RETURNING answers rows',
  async (ctx) => {
    const { project, env, admin, rows, database } = await setup(ctx);
    const inserted = expectDataOnly(
      await ctx.bridge.call('logics/insert_item', { name: 'Test Item', owner_id: 'owner-123' }, admin),
      'insert_item',
    );
    assert.deepEqual(inserted, { affected: 1 });
    assert.deepEqual(await rows(), [{ name: 'Test Item', owner_id: 'owner-123' }], 'the row is in the database');
    // The logic's INSERT names no id: the database made one, a ULID (the table's id policy, generate: ulid).
    const ids = await ctx.db.query<{ id: string }>(database.name, 'SELECT id FROM items');
    assert.match(ids[0]?.id ?? '', /^[0-9A-HJKMNP-TV-Z]{26}$/, 'a database-made ULID');
    assert.deepEqual(expectRows(await ctx.bridge.call('db/items/select', { columns: ['name', 'owner_id'] }, admin)), [
      { name: 'Test Item', owner_id: 'owner-123' },
    ]);

    const user = await signupAndLogin(ctx, project, env);
    expectAffected(
      await ctx.bridge.call(
        'logics/insert_item',
        { name: 'By A User', owner_id: 'u' },
        { bearer: user.accessToken, project, env },
      ),
      1,
    );

    const returned = expectRows<{ id: string; name: string }>(
      await ctx.bridge.call('logics/insert_item_returning', { name: 'Returned', owner_id: 'r' }, admin),
    );
    assert.equal(returned.length, 1);
    assert.deepEqual(Object.keys(returned[0] ?? {}).sort(), ['id', 'name']);
    assert.equal(returned[0]?.name, 'Returned');

    for (const name of ['o1-a', 'o1-b', 'o1-c'])
      expectAffected(await ctx.bridge.call('logics/insert_item', { name, owner_id: 'o1' }, admin), 1);
    expectAffected(await ctx.bridge.call('logics/rename_owner', { old_owner: 'o1', new_owner: 'o2' }, admin), 3);
    expectAffected(await ctx.bridge.call('logics/rename_owner', { old_owner: 'o1', new_owner: 'o2' }, admin), 0);
    assert.equal((await rows()).filter((row) => row.owner_id === 'o2').length, 3);
  },
);

export const executeRefusals = defineScenario(
  'LOGICS-003',
  'refused executes write nothing and do not leak SQL or values',
  async (ctx) => {
    const { project, env, admin, rows } = await setup(ctx);
    expectAffected(await ctx.bridge.call('logics/insert_item', { name: 'Taken Name', owner_id: 'o' }, admin), 1);
    const before = await rows();
    expectEnvelope(await ctx.bridge.call('logics/insert_item', { name: 'x', owner_id: 'o' }, { project, env }), {
      what: 'no credential',
      status: 401,
      code: 'UNAUTHORIZED',
    });
    const missing = expectEnvelope(await ctx.bridge.call('logics/insert_item', { owner_id: 'o' }, admin), {
      what: 'no name',
      status: 400,
      code: 'BAD_REQUEST',
    });
    assert.equal(missing.message, 'missing required param: name');
    const duplicate = expectEnvelope(
      await ctx.bridge.call('logics/insert_item', { name: 'Taken Name', owner_id: 'o' }, admin),
      { what: 'duplicate name', status: 409, code: 'CONFLICT', secrets: ['INSERT', 'Taken Name'] },
    );
    assert.doesNotMatch(String(duplicate.message), /INSERT|Taken Name/);
    const nullOwner = expectEnvelope(
      await ctx.bridge.call('logics/insert_item', { name: 'y', owner_id: null }, admin),
      { what: 'null owner', status: 400, code: 'BAD_REQUEST' },
    );
    assert.equal(nullOwner.message, 'invalid type for param: owner_id');
    assert.deepEqual(await rows(), before, 'no refused call wrote a row');
  },
);
