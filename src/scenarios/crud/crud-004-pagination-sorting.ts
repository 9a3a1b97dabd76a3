import assert from 'node:assert/strict';
import {
  adminCaller,
  bootstrapProject,
  defineScenario,
  expectError,
  expectInvalidColumn,
  expectNoData,
  expectRow,
  expectRows,
  expectStatus,
} from '../kit/index.ts';
import type { BootstrappedProject, Credentials, ScenarioContext } from '../kit/index.ts';

/** Insertion order of the usage section: not the email order, so sorting is visible. */
const USERS: readonly (readonly [string, string])[] = [
  ['user3@x.io', 'a'],
  ['user0@x.io', 'b'],
  ['user4@x.io', 'a'],
  ['user1@x.io', 'b'],
  ['user2@x.io', 'a'],
];

interface Seeded extends BootstrappedProject {
  readonly admin: Credentials;
  readonly emails: (params: unknown) => Promise<string[]>;
}

async function seed(ctx: ScenarioContext): Promise<Seeded> {
  const bootstrapped = await bootstrapProject(ctx, 'basic');
  const admin = await adminCaller(ctx, bootstrapped);
  for (const [email, name] of USERS)
    expectRow(await ctx.bridge.call('db/users/insert', { values: { email, name } }, admin));
  const emails = async (params: unknown) =>
    expectRows<{ email: string }>(await ctx.bridge.call('db/users/select', params, admin)).map((row) => row.email);
  return { ...bootstrapped, admin, emails };
}

const sorted = ['user0@x.io', 'user1@x.io', 'user2@x.io', 'user3@x.io', 'user4@x.io'];

export const orderAndPages = defineScenario(
  'CRUD-004',
  'orderBy sorts and limit/offset walk the rows in pages',
  async (ctx) => {
    const { emails, admin } = await seed(ctx);
    assert.equal((await emails({ limit: 2 })).length, 2);
    assert.deepEqual(await emails({ orderBy: { email: 'asc' }, limit: 5 }), sorted);
    assert.deepEqual(await emails({ orderBy: { email: 'desc' } }), [...sorted].reverse());
    assert.deepEqual(await emails({ orderBy: { email: 'DESC' } }), [...sorted].reverse());
    assert.deepEqual(await emails({ orderBy: { email: 'Asc' } }), sorted);
    assert.deepEqual(await emails({ orderBy: { email: 'asc' }, limit: 2, offset: 2 }), ['user2@x.io', 'user3@x.io']);

    const pages: string[][] = [];
    for (const offset of [0, 2, 4]) pages.push(await emails({ orderBy: { email: 'asc' }, limit: 2, offset }));
    assert.deepEqual(
      pages.map((page) => page.length),
      [2, 2, 1],
    );
    assert.deepEqual(pages.flat(), sorted, 'pages do not overlap and together hold every row once');

    assert.deepEqual(await emails({ orderBy: { name: 'asc', email: 'desc' } }), [
      'user4@x.io',
      'user3@x.io',
      'user2@x.io',
      'user1@x.io',
      'user0@x.io',
    ]);
    assert.deepEqual(await emails({ orderBy: { name: 'desc', email: 'asc' } }), [
      'user0@x.io',
      'user1@x.io',
      'user2@x.io',
      'user3@x.io',
      'user4@x.io',
    ]);

    const zero = await ctx.bridge.call('db/users/select', { limit: 0 }, admin);
    expectStatus(zero, 200);
    assert.deepEqual(zero.json, { data: [] });
    const beyond = await ctx.bridge.call('db/users/select', { offset: 10 }, admin);
    assert.deepEqual(beyond.json, { data: [] });

    const byName = { orderBy: { name: 'asc' }, limit: 4 };
    const first = expectRows(await ctx.bridge.call('db/users/select', byName, admin));
    const second = expectRows(await ctx.bridge.call('db/users/select', byName, admin));
    assert.equal(first.length, 4);
    assert.deepEqual(second, first, 'the same select returns identical data');
  },
);

export const defaultLimit = defineScenario(
  'CRUD-004',
  'without limit a select returns at most 100 rows in primary-key order',
  async (ctx) => {
    const bootstrapped = await bootstrapProject(ctx, 'basic');
    const { database } = bootstrapped;
    const admin = await adminCaller(ctx, bootstrapped);
    // Ids are client-chosen here so the expected primary-key order is known; the Bridge's own inserts are CRUD-001's subject.
    await ctx.db.query(
      database.name,
      `INSERT INTO users (id, email) SELECT 'id' || lpad((102 - n)::text, 3, '0'), 'bulk' || n || '@x.io' FROM generate_series(1, 101) AS n`,
    );
    const rows = expectRows<{ id: string }>(await ctx.bridge.call('db/users/select', {}, admin));
    assert.equal(rows.length, 100);
    const ids = rows.map((row) => row.id);
    assert.deepEqual(ids, [...ids].sort(), 'rows come in primary-key order');
    assert.equal(ids[0], 'id001');
    // Santokit's Bridge skips an orderBy, limit or offset that is null, as if it were absent.
    const nulls = expectRows<{ id: string }>(
      await ctx.bridge.call('db/users/select', { orderBy: null, limit: null, offset: null }, admin),
    );
    assert.deepEqual(
      nulls.map((row) => row.id),
      ids,
      'null orderBy, limit and offset are the defaults',
    );
    // Every name is null here, so only the primary-key tiebreaker orders these rows.
    for (const direction of ['asc', 'desc']) {
      const tied = await ctx.bridge.call('db/users/select', { orderBy: { name: direction }, limit: 3 }, admin);
      assert.deepEqual(
        expectRows<{ id: string }>(tied).map((row) => row.id),
        ['id001', 'id002', 'id003'],
        `equal names (${direction}) come back in primary-key order`,
      );
    }
    assert.equal(expectRows(await ctx.bridge.call('db/users/select', { limit: 1000 }, admin)).length, 101);
    assert.deepEqual(
      expectRows<{ id: string }>(await ctx.bridge.call('db/users/select', { offset: 100 }, admin)).map((row) => row.id),
      ['id101'],
    );
  },
);

export const pagingRefusals = defineScenario(
  'CRUD-004',
  'bad orderBy, limit and offset are refused before any SQL',
  async (ctx) => {
    const { admin, database, emails } = await seed(ctx);
    const select = (params: unknown) => ctx.bridge.call('db/users/select', params, admin);
    const badDirection = await select({ orderBy: { email: 'up' } });
    expectError(badDirection, 400, 'BAD_REQUEST');
    expectNoData(badDirection);
    expectInvalidColumn(await select({ orderBy: { shoe_size: 'asc' } }), 'shoe_size');
    expectError(await select({ orderBy: 'email' }), 400, 'BAD_REQUEST');
    expectError(await select({ orderBy: ['email'] }), 400, 'BAD_REQUEST');
    for (const direction of [1, null, true])
      expectError(await select({ orderBy: { email: direction } }), 400, 'BAD_REQUEST');
    // Refused by the Bridge's own check, before any SQL, with a message naming the parameter: errors.md asks it for
    // a field of the wrong JSON type, and Santokit's Bridge names limit or offset when it refuses a negative one.
    const refusals: [string, unknown[]][] = [
      ['limit', [-1, 1001, 1.5, '2', true]],
      ['offset', [-1, '1', 0.5]],
    ];
    for (const [name, values] of refusals)
      for (const value of values) {
        const error = expectError(await select({ [name]: value }), 400, 'BAD_REQUEST');
        assert.match(error.message, new RegExp(`\\b${name}\\b`), `${name} ${String(value)}: ${error.message}`);
      }

    const injected = await select({ orderBy: { 'email; drop table users': 'asc' } });
    expectInvalidColumn(injected, 'email; drop table users');
    expectNoData(injected);
    assert.deepEqual(
      await ctx.db.query(database.name, 'SELECT count(*)::int AS n FROM users'),
      [{ n: 5 }],
      'users and its five rows are intact',
    );
    assert.deepEqual(await emails({ orderBy: { email: 'asc' } }), sorted);
  },
);
