import assert from 'node:assert/strict';
import {
  bootstrapProject,
  createApiKey,
  refusedCallers,
  defineScenario,
  expectUpdated,
  expectError,
  expectNoData,
  expectRow,
  expectRefused,
  expectRows,
  signupAndLogin,
} from '../kit/index.ts';
import type { BootstrappedProject, Credentials, ScenarioContext } from '../kit/index.ts';

interface Callers extends BootstrappedProject {
  readonly user: Credentials;
  readonly admin: Credentials;
}

type UserRow = { id: string; email: string; name: string | null };
type LevelRow = { level: number; active: boolean };

/** `cel_condition_literal` with one end user (bearer) and an `admin` key. */
async function callers(ctx: ScenarioContext): Promise<Callers> {
  const bootstrapped = await bootstrapProject(ctx, 'cel_condition_literal');
  const { project, env } = bootstrapped;
  const [session, key] = await Promise.all([
    signupAndLogin(ctx, project, env),
    createApiKey(ctx, project, env, 'admin'),
  ]);
  return { ...bootstrapped, user: { bearer: session.accessToken }, admin: { apiKey: key } };
}

async function insertAll(
  ctx: ScenarioContext,
  table: string,
  rows: readonly Record<string, unknown>[],
  as: Credentials,
): Promise<void> {
  for (const values of rows) expectRow(await ctx.bridge.call(`db/${table}/insert`, { values }, as));
}

async function storedUsers(ctx: ScenarioContext, seeded: Callers): Promise<UserRow[]> {
  return ctx.db.query<UserRow>(seeded.database.name, 'SELECT id, email, name FROM users ORDER BY id');
}

const FIXTURE_TABLES = ['items', 'mismatch', 'quoted', 'toggles', 'users'];
const USERS = [
  { id: 'u1', email: 'u1@x.io', name: 'Allowed' },
  { id: 'u2', email: 'u2@x.io', name: 'Denied' },
];

export const literalFilters = defineScenario(
  'SECURITY-002',
  'string, integer and boolean literals filter rows in SQL',
  async (ctx) => {
    const seeded = await callers(ctx);
    const { user, admin } = seeded;
    await insertAll(ctx, 'users', USERS, user);
    const select = (table: string, params: unknown, as = user) => ctx.bridge.call(`db/${table}/select`, params, as);
    assert.deepEqual(expectRows<UserRow>(await select('users', {})), [USERS[0]], 'only the Allowed row is visible');
    assert.deepEqual(
      expectRows(await select('users', { where: { name: 'Denied' } })),
      [],
      'where can only narrow the filter',
    );

    expectUpdated(
      await ctx.bridge.call('db/users/update', { where: { id: 'u2' }, data: { email: 'changed@x.io' } }, user),
      0,
    );
    expectUpdated(
      await ctx.bridge.call(
        'db/users/update',
        { where: { id: { $in: ['u1', 'u2'] } }, data: { email: 'both@x.io' } },
        user,
      ),
      1,
    );
    assert.deepEqual(
      await storedUsers(ctx, seeded),
      [{ ...USERS[0], email: 'both@x.io' }, USERS[1]],
      'u2 is unchanged in the database',
    );
    const everyone = expectRows<UserRow>(await select('users', { orderBy: { id: 'asc' } }, admin));
    assert.deepEqual(
      everyone.map((row) => row.id),
      ['u1', 'u2'],
      'the admin rule has no condition',
    );

    const rows = [
      { level: 3, active: true },
      { level: 3, active: false },
      { level: 2, active: true },
    ];
    const visible = async (table: string, orderBy: Record<string, 'asc' | 'desc'>) =>
      expectRows<LevelRow>(await select(table, { orderBy })).map(({ level, active }) => [level, active]);
    await insertAll(ctx, 'items', rows, user);
    assert.deepEqual(
      await visible('items', { active: 'desc' }),
      [
        [3, true],
        [3, false],
      ],
      'an integer literal filters',
    );
    assert.equal(expectRows(await select('items', {}, admin)).length, 3);
    await insertAll(ctx, 'toggles', rows, user);
    assert.deepEqual(
      await visible('toggles', { level: 'desc' }),
      [
        [3, true],
        [2, true],
      ],
      'a boolean literal filters',
    );
    expectUpdated(
      await ctx.bridge.call('db/toggles/update', { where: { level: 2 }, data: { active: false } }, user),
      1,
    );
    assert.deepEqual(
      expectRows(await select('toggles', { where: { level: 2 } })),
      [],
      'toggles (2, false) is now hidden',
    );
  },
);

export const literalEdges = defineScenario(
  'SECURITY-002',
  'quoted literals, type mismatches and refused callers',
  async (ctx) => {
    const seeded = await callers(ctx);
    const { user, admin, project, env, database } = seeded;
    await insertAll(ctx, 'quoted', [{ name: 'Allowed' }, { name: 'Denied' }, { name: 'allowed' }], user);
    const quoted = expectRows<{ name: string }>(await ctx.bridge.call('db/quoted/select', {}, user));
    assert.deepEqual(
      quoted.map((row) => row.name),
      ['Allowed'],
      "'Allowed' == resource.name filters like the double-quoted form",
    );

    await insertAll(ctx, 'mismatch', [{ name: '3' }], user);
    const mismatch = await ctx.bridge.call('db/mismatch/select', {}, user);
    assert.match(expectError(mismatch, 400, 'BAD_REQUEST').message, /\bname\b/, 'the message names the column');
    expectNoData(mismatch);
    assert.equal(
      expectRows(await ctx.bridge.call('db/mismatch/select', {}, admin)).length,
      1,
      'the admin rule has no condition',
    );

    await insertAll(ctx, 'users', USERS, user);
    await expectRefused(ctx, await refusedCallers(ctx, project, env), 'db/users/select', {});
    const injected = await ctx.bridge.call('db/users/select', { where: { name: "Allowed' OR 'x'='x" } }, user);
    assert.deepEqual(injected.json, { data: [] }, 'the value is bound, not spliced');
    assert.deepEqual(await storedUsers(ctx, seeded), USERS, 'the rows are intact');
    const tablesSql = `SELECT tablename FROM pg_tables WHERE schemaname = 'public' AND tablename = ANY($1) ORDER BY tablename`;
    const tables = await ctx.db.query<{ tablename: string }>(database.name, tablesSql, [FIXTURE_TABLES]);
    assert.deepEqual(
      tables.map((row) => row.tablename),
      FIXTURE_TABLES,
      'every table is still there',
    );
  },
);
