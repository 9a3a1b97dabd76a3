/**
 * CRUD-001 step 5 for every column type of project-files.md ("Column types"):
 * each type is written and read back in its documented JSON form, and a value
 * of the wrong form is refused naming its column before anything is written.
 */
import assert from 'node:assert/strict';
import {
  adminCaller,
  bootstrapProject,
  defineScenario,
  expectInvalidColumn,
  expectRow,
  expectRows,
  SAMPLE_ROW,
} from '../kit/index.ts';
import type { BootstrappedProject, Credentials, HttpResponse, ScenarioContext } from '../kit/index.ts';

interface TypedProject extends BootstrappedProject {
  readonly admin: Credentials;
  readonly insert: (values: Record<string, unknown>) => ReturnType<ScenarioContext['bridge']['call']>;
  readonly rowCount: () => Promise<number | undefined>;
}

async function setup(ctx: ScenarioContext): Promise<TypedProject> {
  const bootstrapped = await bootstrapProject(ctx, 'sdk_type_mapping');
  const { database } = bootstrapped;
  const admin = await adminCaller(ctx, bootstrapped);
  return {
    ...bootstrapped,
    admin,
    insert: (values) => ctx.bridge.call('db/samples/insert', { values: { ...SAMPLE_ROW, ...values } }, admin),
    rowCount: async () =>
      (await ctx.db.query<{ n: number }>(database.name, 'SELECT count(*)::int AS n FROM samples'))[0]?.n,
  };
}

export const everyTypeRoundTrips = defineScenario(
  'CRUD-001',
  'each column type is written and read back in its documented JSON form',
  async (ctx) => {
    const { database, insert } = await setup(ctx);
    const row = expectRow<Record<string, unknown>>(await insert({}));
    assert.deepEqual(
      row,
      { id: '1', ...SAMPLE_ROW, optional_amount: null, note: 'none' },
      'int and float as numbers; bigint, decimal, timestamp, bytes and file as strings; json as given',
    );
    const stored = await ctx.db.query(
      database.name,
      `SELECT big::text AS big, amount::text AS amount, encode(blob, 'base64') AS blob,
              payload->'nested'->>1 AS two, count + 1 AS next FROM samples`,
    );
    assert.deepEqual(stored, [
      { big: SAMPLE_ROW.big, amount: SAMPLE_ROW.amount, blob: SAMPLE_ROW.blob, two: 'two', next: '43' },
    ]);

    // bigint: "an integer number is also accepted on write"; decimal is read as a string however it was written.
    const numbers = expectRow<Record<string, unknown>>(await insert({ big: 7, amount: 1.5, optional_amount: '-3.25' }));
    assert.deepEqual([numbers.big, numbers.amount, numbers.optional_amount], ['7', '1.5', '-3.25']);
    const whole = expectRow<Record<string, unknown>>(await insert({ amount: '100' }));
    assert.equal(whole.amount, '100', 'a decimal without a fraction');
    // timestamp: any RFC 3339 offset is read back in UTC with Z.
    const shifted = expectRow<Record<string, unknown>>(await insert({ happened_at: '2026-01-02T05:04:05+02:00' }));
    assert.equal(shifted.happened_at, '2026-01-02T03:04:05.000Z');
    // json: any JSON value, a bare string, number or array included, comes back as written.
    for (const payload of ['text', 12.5, [1, { a: 'b' }], false]) {
      assert.deepEqual(expectRow<Record<string, unknown>>(await insert({ payload })).payload, payload);
    }
    const emptyBytes = expectRow<Record<string, unknown>>(await insert({ blob: '', tags: [], matrix: [-4] }));
    assert.deepEqual([emptyBytes.blob, emptyBytes.tags, emptyBytes.matrix], ['', [], [-4]]);
    // bytes: base64 with one or two padding characters, as two or one trailing bytes need.
    for (const blob of [Buffer.from([1, 2]).toString('base64'), Buffer.from([250]).toString('base64')]) {
      assert.equal(expectRow<Record<string, unknown>>(await insert({ blob })).blob, blob);
    }
  },
);

/** Per column, values whose JSON form is not the one its type documents. */
const ILL_TYPED: readonly [string, readonly unknown[]][] = [
  ['title', [5, true, ['t'], { t: 1 }]],
  ['avatar', [5, false]],
  ['count', [1.5, '1', true]],
  ['big', ['12a', 'a12', '', '1.5', 1.5, '12345678901234567890', true, [12]]],
  ['ratio', ['0.25', true]],
  ['amount', ['abc', '1.2.3', '', true, ['1']]],
  ['enabled', ['true', 1, null]],
  [
    'happened_at',
    // RFC 3339 only: no date alone, no missing offset, no impossible date, nothing before or after it.
    [
      'yesterday',
      '2026-01-02',
      '2026-13-45T00:00:00Z',
      '2026-01-02T03:04:05',
      1767322445,
      ' 2026-01-02T03:04:05Z',
      'Fri 2026-01-02 03:04:05Z',
      '2026-01-02 03:04:05Z (UTC)',
      ['2026-01-02T03:04:05Z'],
    ],
  ],
  ['blob', ['abc', '@@@@', 'AAA', 'AA==x', 5, 1234, true, ['AAAA']]],
  ['tags', ['a', [1]]],
  ['matrix', [[1.5], ['1']]],
];

export const illTypedRefused = defineScenario(
  'CRUD-001',
  'a value of the wrong form for its column type is refused naming the column and writes nothing',
  async (ctx) => {
    const { insert, rowCount } = await setup(ctx);
    for (const [column, values] of ILL_TYPED) {
      for (const value of values) {
        const refused = expectInvalidColumn(await insert({ [column]: value }), column);
        assert.match(refused.message, new RegExp(`'${column}'`), `${column} = ${JSON.stringify(value)}`);
      }
    }
    const missing = await insert({ title: undefined });
    expectInvalidColumn(missing, 'title');
    const nulled = expectInvalidColumn(await insert({ count: null }), 'count');
    assert.match(nulled.message, /expected int, not null/);
    const serialId = expectInvalidColumn(await insert({ id: '5' }), 'id');
    assert.match(serialId.message, /generated by the server/);
    assert.equal(await rowCount(), 0, 'no refused insert wrote a row');
  },
);

export const everyTypeFilters = defineScenario(
  'CRUD-001',
  'a where condition finds a row by a value of every column type, the id types included',
  async (ctx) => {
    const { admin, insert } = await setup(ctx);
    const row = expectRow<Record<string, unknown>>(await insert({ happened_at: '2026-01-02T05:04:05+02:00' }));
    const ids = async (table: string, where: Record<string, unknown>, who = admin) =>
      expectRows<{ id: string }>(await ctx.bridge.call(`db/${table}/select`, { where }, who)).map(({ id }) => id);
    // call-api.md: `$in` takes an array of scalars, each fitting the column's type.
    const scalars = ['title', 'count', 'big', 'ratio', 'amount', 'enabled', 'happened_at', 'blob', 'avatar'];
    for (const column of scalars) {
      assert.deepEqual(await ids('samples', { [column]: { $in: [row[column]] } }), [row.id], `${column} $in`);
    }
    assert.deepEqual(await ids('samples', { payload: { $in: ['absent'] } }), [], 'json $in');
    // The same instant written with another offset is the same timestamp.
    assert.deepEqual(await ids('samples', { happened_at: '2026-01-02T04:04:05+01:00' }), [row.id]);
    assert.deepEqual(await ids('samples', { happened_at: { $in: ['2026-01-02T03:04:05Z'] } }), [row.id]);

    const policies = await bootstrapProject(ctx, 'id_policies');
    const owner = await adminCaller(ctx, policies);
    for (const table of ['t_uuid4', 't_auto']) {
      const made = expectRow<{ id: string }>(await ctx.bridge.call(`db/${table}/insert`, { values: {} }, owner));
      assert.deepEqual(await ids(table, { id: { $in: [made.id] } }, owner), [made.id], `${table} id $in`);
      assert.deepEqual(await ids(table, { id: made.id }, owner), [made.id], `${table} id equality`);
    }
    // auto_increment ids are bigints: a string of digits, or an integer number (project-files.md).
    assert.deepEqual(await ids('t_auto', { id: 1 }, owner), ['1'], 'a number for a bigint id');
    assert.deepEqual(await ids('t_auto', { id: { $in: ['1', '12'] } }, owner), ['1'], 'several digits');
    for (const bad of ['a1', '1a', '1.0', '', '12345678901234567890', 1.5]) {
      expectInvalidColumn(await ctx.bridge.call('db/t_auto/select', { where: { id: bad } }, owner), 'id');
    }
    // Equality is exact: an integer beyond 2^53 never finds the id of the nearest double.
    await ctx.db.query(policies.database.name, "INSERT INTO t_auto (id, label) VALUES (9007199254740992, 'far')");
    const far = withRawNumber('db/t_auto/select', { where: { id: RAW } }, '9007199254740993');
    const beyond = await ctx.bridge.callText(far, owner);
    exactOrRefused(beyond, 'id', (rows) => assert.deepEqual(rows, [], 'id 9007199254740993 names no row'));
    const uuid = expectRow<{ id: string }>(await ctx.bridge.call('db/t_uuid4/select', {}, owner)).id;
    // A UUID is read in either case; text that only holds one, or groups of the wrong length, is not a UUID.
    assert.deepEqual(await ids('t_uuid4', { id: uuid.toUpperCase() }, owner), [uuid], 'upper-case UUID');
    const groups = uuid.split('-');
    const shortened = groups.map((_, at) => groups.map((group, i) => (i === at ? group.slice(0, 1) : group)).join('-'));
    for (const bad of [`x${uuid}`, `${uuid}0`, ...shortened, uuid.replaceAll('-', '')]) {
      const refused = await ctx.bridge.call('db/t_uuid4/select', { where: { id: bad } }, owner);
      expectInvalidColumn(refused, 'id');
    }
  },
);

/** Stands for a number written into the JSON text as is (see withRawNumber). */
const RAW = 'raw-number';

/** A `/call` body whose RAW value is replaced by `number` as JSON text: 2^53 + 1 and 1e400 have no JavaScript value. */
function withRawNumber(path: string, params: unknown, number: string): string {
  return JSON.stringify({ path, params }).replace(JSON.stringify(RAW), number);
}

/** A value the reader cannot hold exactly is refused naming its column, or else the answer shows it exact. */
function exactOrRefused(
  response: HttpResponse,
  column: string,
  exact: (rows: Record<string, unknown>[]) => void,
): void {
  if (response.status === 200) exact(expectRows(response));
  else expectInvalidColumn(response, column);
}

export const numbersKeptExact = defineScenario(
  'CRUD-001',
  'a number beyond what a double holds is stored exactly or refused, never rounded',
  async (ctx) => {
    const { admin, rowCount } = await setup(ctx);
    const insert = (column: string, number: string) =>
      ctx.bridge.callText(
        withRawNumber('db/samples/insert', { values: { ...SAMPLE_ROW, [column]: RAW } }, number),
        admin,
      );
    // float is a double precision (project-files.md): 1e400 is beyond its range, so it does not fit.
    for (const number of ['1e400', '-1e400']) expectInvalidColumn(await insert('ratio', number), 'ratio');
    assert.equal(await rowCount(), 0, 'a float out of range wrote nothing');
    // bigint keeps all 64 bits and decimal is exact: an integer number is the value written, or none.
    exactOrRefused(await insert('big', '9007199254740993'), 'big', (rows) =>
      assert.deepEqual(
        rows.map((row) => row.big),
        ['9007199254740993'],
        'bigint 2^53 + 1 kept exactly',
      ),
    );
    exactOrRefused(await insert('amount', '1e400'), 'amount', (rows) =>
      assert.deepEqual(
        rows.map((row) => row.amount),
        [`1${'0'.repeat(400)}`],
        'decimal 1e400 kept exactly',
      ),
    );
  },
);
