import assert from 'node:assert/strict';
import {
  adminCaller,
  bootstrapProject,
  defineScenario,
  expectUpdated,
  expectInvalidColumn,
  expectNoData,
  expectRow,
  expectRows,
} from '../kit/index.ts';
import type { BootstrappedProject, Credentials, ScenarioContext } from '../kit/index.ts';

interface ArrayUser {
  id: string;
  email: string;
  tags: string[] | null;
  scores: number[] | null;
  flags: boolean[];
}

interface ArrayProject extends BootstrappedProject {
  readonly admin: Credentials;
  readonly insert: (values: Record<string, unknown>) => ReturnType<ScenarioContext['bridge']['call']>;
  readonly selectOne: (id: string) => Promise<ArrayUser | undefined>;
  readonly countOf: (email: string) => Promise<number | undefined>;
}

async function setup(ctx: ScenarioContext): Promise<ArrayProject> {
  const bootstrapped = await bootstrapProject(ctx, 'array_validation');
  const { database } = bootstrapped;
  const admin = await adminCaller(ctx, bootstrapped);
  return {
    ...bootstrapped,
    admin,
    insert: (values) => ctx.bridge.call('db/users/insert', { values }, admin),
    selectOne: async (id) =>
      expectRows<ArrayUser>(await ctx.bridge.call('db/users/select', { where: { id } }, admin))[0],
    countOf: async (email) =>
      (
        await ctx.db.query<{ n: number }>(database.name, 'SELECT count(*)::int AS n FROM users WHERE email = $1', [
          email,
        ])
      )[0]?.n,
  };
}

export const arraysRoundTrip = defineScenario(
  'CRUD-005',
  'valid arrays are stored natively and read back as JSON arrays',
  async (ctx) => {
    const { admin, database, insert, selectOne } = await setup(ctx);
    const row = expectRow<ArrayUser>(await insert({ email: 'arr@x.io', tags: ['a', 'b'], scores: [1, 2, 3] }));
    assert.deepEqual([row.tags, row.scores, row.flags], [['a', 'b'], [1, 2, 3], []]);
    assert.ok(
      row.scores?.every((score) => typeof score === 'number'),
      'int items are numbers',
    );
    assert.deepEqual(await selectOne(row.id), row, 'select returns the same arrays');
    const stored = await ctx.db.query(
      database.name,
      `
    SELECT format_type(a.atttypid, a.atttypmod) AS type, (SELECT scores::text FROM users WHERE id = $1) AS scores
    FROM pg_attribute a WHERE a.attrelid = 'users'::regclass AND a.attname = 'scores'`,
      [row.id],
    );
    assert.deepEqual(stored, [{ type: 'bigint[]', scores: '{1,2,3}' }]);

    const [updated] = expectUpdated<ArrayUser>(
      await ctx.bridge.call('db/users/update', { where: { id: row.id }, data: { scores: [4] } }, admin),
      1,
    );
    assert.deepEqual(updated?.scores, [4], 'update answers the row as it now is');
    assert.deepEqual((await selectOne(row.id))?.scores, [4]);

    const empty = expectRow<ArrayUser>(await insert({ email: 'empty@x.io', tags: [], flags: [true, false] }));
    assert.deepEqual([empty.tags, empty.flags, empty.scores], [[], [true, false], null]);
    assert.deepEqual((await selectOne(empty.id))?.tags, []);
    assert.deepEqual(
      await ctx.db.query(database.name, 'SELECT tags::text AS tags FROM users WHERE id = $1', [empty.id]),
      [{ tags: '{}' }],
    );

    const nulled = expectRow<ArrayUser>(await insert({ email: 'null@x.io', tags: null }));
    assert.equal(nulled.tags, null);
    assert.equal((await selectOne(nulled.id))?.tags, null);
    expectUpdated(await ctx.bridge.call('db/users/update', { where: { id: row.id }, data: { tags: null } }, admin), 1);
    assert.equal((await selectOne(row.id))?.tags, null);
    assert.deepEqual(
      await ctx.db.query(database.name, 'SELECT tags IS NULL AS is_null FROM users WHERE id = $1', [row.id]),
      [{ is_null: true }],
    );
  },
);

export const invalidInserts = defineScenario(
  'CRUD-005',
  'ill-typed array values are refused naming the column and write nothing',
  async (ctx) => {
    const { database, insert, countOf } = await setup(ctx);
    const mixed = expectInvalidColumn(await insert({ email: 'mixed@x.io', tags: ['ok', 1] }), 'tags');
    assert.match(mixed.message, /tags/);
    assert.match(mixed.message, /array of string/);
    assert.equal(await countOf('mixed@x.io'), 0);
    const notArray = await insert({ email: 'str@x.io', tags: 'not-array' });
    expectInvalidColumn(notArray, 'tags');
    expectNoData(notArray);
    const frac = expectInvalidColumn(await insert({ email: 'frac@x.io', scores: [1, 2.5] }), 'scores');
    assert.match(frac.message, /array of int/, 'the message names the item type of the column');
    expectInvalidColumn(await insert({ email: 'text@x.io', scores: ['1'] }), 'scores');
    expectInvalidColumn(await insert({ email: 'nested@x.io', scores: [[1], [2]] }), 'scores');
    expectInvalidColumn(await insert({ email: 'nullitem@x.io', tags: ['a', null] }), 'tags');
    expectInvalidColumn(await insert({ email: 'obj@x.io', tags: [{ a: 1 }] }), 'tags');
    expectInvalidColumn(await insert({ email: 'bool@x.io', flags: [1] }), 'flags');
    expectInvalidColumn(await insert({ email: 'flagsnull@x.io', flags: null }), 'flags');
    const partly = expectInvalidColumn(
      await insert({ email: 'partly@x.io', tags: ['fine'], scores: [1, 'two'] }),
      'scores',
    );
    assert.match(partly.message, /scores/);
    assert.deepEqual(
      await ctx.db.query(database.name, 'SELECT count(*)::int AS n FROM users'),
      [{ n: 0 }],
      'no refused insert wrote a row',
    );
  },
);

export const invalidUpdates = defineScenario(
  'CRUD-005',
  'ill-typed array updates are refused and the row keeps its arrays',
  async (ctx) => {
    const { admin, database, insert } = await setup(ctx);
    const row = expectRow<ArrayUser>(
      await insert({ email: 'keep@x.io', tags: ['a'], scores: [1, 2, 3], flags: [true] }),
    );
    const update = (data: Record<string, unknown>) =>
      ctx.bridge.call('db/users/update', { where: { id: row.id }, data }, admin);
    const oops = expectInvalidColumn(await update({ scores: ['oops'] }), 'scores');
    assert.match(oops.message, /scores/);
    expectInvalidColumn(await update({ tags: ['b', 2] }), 'tags');
    expectInvalidColumn(await update({ tags: ['b'], scores: [1.5] }), 'scores');
    expectInvalidColumn(await update({ flags: null }), 'flags');
    expectInvalidColumn(await update({ flags: 'true' }), 'flags');
    const stored = await ctx.db.query(
      database.name,
      'SELECT tags, scores::text AS scores, flags FROM users WHERE id = $1',
      [row.id],
    );
    assert.deepEqual(stored, [{ tags: ['a'], scores: '{1,2,3}', flags: [true] }], 'the row is as it was');
  },
);
