/**
 * SECURITY-002 beyond the `cel_condition_literal` fixture: a literal suits a
 * column when the column's PostgreSQL type holds that kind of value
 * (plan/spec/project-files.md, "Column types": string → text and uuid,
 * integer → bigint, double precision and numeric, true/false → boolean), and
 * then filters rows like any other; a literal of another kind is the 400
 * naming the column. SECURITY-001 rule 3: a row outside the condition is
 * invisible — a subject that cannot equal a uuid id matches nothing, it does
 * not fail. SECURITY-001 rule 4: an insert's values must satisfy the term,
 * else 403 `condition failed` and nothing is written.
 */
import assert from 'node:assert/strict';
import {
  adminCaller,
  applyFolder,
  bootstrapProject,
  defineScenario,
  expectError,
  expectNoData,
  expectRows,
  readProjectFolder,
} from '../kit/index.ts';
import type { BootstrappedProject, Credentials, HttpResponse, ScenarioContext } from '../kit/index.ts';

const UUID_1 = '00000000-0000-4000-8000-000000000001';
const UUID_2 = '00000000-0000-4000-8000-000000000002';

const SCHEMA = `version: 1
tables:
  by_uuid: { connection: main, id: { name: id, generate: uuid_v4 }, columns: { label: { type: string, nullable: true } } }
  by_serial: { connection: main, id: { name: id, generate: auto_increment }, columns: { label: { type: string, nullable: true } } }
  by_file: { connection: main, id: { name: id, generate: client }, columns: { doc: { type: file, bucket: main, nullable: true } } }
  by_big: { connection: main, id: { name: id, generate: client }, columns: { big: { type: bigint, nullable: true } } }
  by_ratio: { connection: main, id: { name: id, generate: client }, columns: { ratio: { type: float, nullable: true } } }
  by_amount: { connection: main, id: { name: id, generate: client }, columns: { amount: { type: decimal, nullable: true } } }
  by_flag: { connection: main, id: { name: id, generate: client }, columns: { active: { type: boolean, nullable: true } } }
  by_level: { connection: main, id: { name: id, generate: client }, columns: { level: { type: int, nullable: true }, active: { type: boolean, nullable: true }, label: { type: string, nullable: true } } }
  by_signed: { connection: main, id: { name: id, generate: client }, columns: { delta: { type: int, nullable: true } } }
`;

/** select/update/insert conditions per table (the admin key's rules; each is the only rule of its op). */
const RULES: Record<string, Record<string, string>> = {
  by_uuid: {
    select: `resource.id == "${UUID_1}"`,
    update: 'resource.id == request.auth.sub',
    insert: 'resource.label > "a"',
  },
  by_serial: { select: 'resource.id == 2' },
  by_file: { select: 'resource.doc == "a.txt"', insert: 'resource.doc == 3' },
  by_big: { select: 'resource.big == 15', insert: 'resource.big == 15' },
  by_ratio: { select: 'resource.ratio == 2', insert: 'resource.ratio == 2' },
  by_amount: { select: 'resource.amount == 7', insert: 'resource.ghost == 7' },
  by_flag: { insert: 'resource.active == true' },
  by_level: { select: 'resource.level == true', update: 'resource.level == "3"', insert: 'resource.level == 3' },
  by_signed: { select: 'resource.delta == -5' },
};

function permissions(base: string): string {
  const lines = [base.trimEnd()];
  for (const [table, conditions] of Object.entries(RULES)) {
    lines.push(`  ${table}:`);
    for (const op of ['select', 'insert', 'update']) {
      const condition = conditions[op];
      lines.push(`    ${op}: { roles: [admin]${condition ? `, condition: ${JSON.stringify(condition)}` : ''} }`);
    }
  }
  return `${lines.join('\n')}\n`;
}

interface Typed extends BootstrappedProject {
  readonly call: (path: string, params: unknown) => Promise<HttpResponse>;
  readonly sql: (text: string, values?: unknown[]) => Promise<Record<string, unknown>[]>;
}

async function typed(ctx: ScenarioContext): Promise<Typed> {
  const bootstrapped = await bootstrapProject(ctx, 'basic', { prefix: 'litypes' });
  const folder = readProjectFolder(bootstrapped.dir);
  await applyFolder(
    ctx,
    { project: bootstrapped.project, env: bootstrapped.env, ref: 'v2', dir: bootstrapped.dir },
    { schema: [...folder.schema, SCHEMA], permissions: permissions(folder.permissions ?? 'tables:') },
  );
  const admin: Credentials = await adminCaller(ctx, bootstrapped);
  return {
    ...bootstrapped,
    call: (path, params) => ctx.bridge.call(path, params, admin),
    sql: (text, values) => ctx.db.query(bootstrapped.database.name, text, values),
  };
}

async function seed(project: Typed): Promise<void> {
  await project.sql(`INSERT INTO by_uuid (id, label) VALUES ($1, 'one'), ($2, 'two')`, [UUID_1, UUID_2]);
  for (const label of ['s1', 's2', 's3']) await project.call('db/by_serial/insert', { values: { label } });
  await project.sql(`INSERT INTO by_file (id, doc) VALUES ('f1', 'a.txt'), ('f2', 'b.txt')`);
  await project.sql(`INSERT INTO by_big (id, big) VALUES ('b1', 15), ('b2', 16)`);
  await project.sql(`INSERT INTO by_ratio (id, ratio) VALUES ('r1', 2), ('r2', 2.5)`);
  await project.sql(`INSERT INTO by_amount (id, amount) VALUES ('a1', 7.0), ('a2', 7.5)`);
  await project.sql(`INSERT INTO by_level (id, level, active) VALUES ('l1', 3, true)`);
  await project.sql(`INSERT INTO by_signed (id, delta) VALUES ('d1', -5), ('d2', 5)`);
}

function ids(response: HttpResponse): unknown[] {
  return expectRows<{ id: unknown }>(response)
    .map((row) => row.id)
    .sort();
}

export const literalColumnTypes = defineScenario(
  'SECURITY-002',
  'a literal filters every column type that holds its kind of value, and a mismatch is a 400',
  async (ctx) => {
    const project = await typed(ctx);
    await seed(project);
    const select = (table: string) => project.call(`db/${table}/select`, {});
    assert.deepEqual(ids(await select('by_uuid')), [UUID_1], 'a string literal on a uuid id');
    assert.deepEqual(ids(await select('by_serial')), ['2'], 'an integer literal on an auto_increment id');
    assert.deepEqual(ids(await select('by_file')), ['f1'], 'a string literal on a file column');
    assert.deepEqual(ids(await select('by_big')), ['b1'], 'an integer literal on a bigint column');
    // A CEL integer literal may carry a sign: -5 is that literal, not 5.
    assert.deepEqual(ids(await select('by_signed')), ['d1'], 'a negative integer literal');
    assert.deepEqual(ids(await select('by_ratio')), ['r1'], 'an integer literal on a float column');
    assert.deepEqual(
      ids(await select('by_amount')),
      ['a1'],
      'an integer literal on a decimal column, compared as numbers (7.0 is 7)',
    );

    // The key's subject is no UUID: its update rule matches no row, answering [] and changing nothing.
    const update = await project.call('db/by_uuid/update', { where: { label: 'one' }, data: { label: 'x' } });
    assert.equal(update.status, 200, `a subject against a uuid id: ${update.text.slice(0, 300)}`);
    assert.deepEqual(update.json, { data: [] });
    assert.deepEqual(await project.sql('SELECT label FROM by_uuid ORDER BY id'), [{ label: 'one' }, { label: 'two' }]);

    for (const [what, response] of [
      ['a boolean literal on an int column', await select('by_level')],
      [
        'a string literal on an int column',
        await project.call('db/by_level/update', { where: { id: 'l1' }, data: { label: 'x' } }),
      ],
    ] as const) {
      assert.equal(response.status, 400, `${what}: ${response.text.slice(0, 300)}`);
      assert.match(expectError(response, 400, 'BAD_REQUEST').message, /level/, `${what}: the message names the column`);
      expectNoData(response);
    }
    assert.deepEqual(
      await project.sql('SELECT label FROM by_level'),
      [{ label: null }],
      'the refused update wrote nothing',
    );
  },
);

export const literalInsertChecks = defineScenario(
  'SECURITY-002',
  'an insert must write the value its rule names, in any wire form of the column',
  async (ctx) => {
    const project = await typed(ctx);
    const insert = (table: string, values: Record<string, unknown>) => project.call(`db/${table}/insert`, { values });
    const accepted: [string, Record<string, unknown>][] = [
      ['by_big', { id: 'b-string', big: '15' }],
      ['by_big', { id: 'b-number', big: 15 }],
      ['by_ratio', { id: 'r-two', ratio: 2 }],
      ['by_level', { id: 'l-three', level: 3 }],
      ['by_flag', { id: 'f-true', active: true }],
    ];
    for (const [table, values] of accepted) {
      const response = await insert(table, values);
      assert.equal(response.status, 200, `${table} ${JSON.stringify(values)}: ${response.text.slice(0, 300)}`);
    }
    const refused: [string, Record<string, unknown>][] = [
      ['by_big', { id: 'b-six', big: '16' }],
      ['by_big', { id: 'b-six-number', big: 16 }],
      ['by_big', { id: 'b-none' }],
      ['by_ratio', { id: 'r-fraction', ratio: 2.5 }],
      ['by_ratio', { id: 'r-three', ratio: 3 }],
      ['by_level', { id: 'l-four', level: 4 }],
      ['by_flag', { id: 'f-false', active: false }],
      ['by_level', { id: 'l-none', label: 'x' }],
    ];
    for (const [table, values] of refused) {
      const response = await insert(table, values);
      assert.equal(response.status, 403, `${table} ${JSON.stringify(values)}: ${response.text.slice(0, 300)}`);
      assert.equal(expectError(response, 403, 'FORBIDDEN').message, 'condition failed');
    }
    // The insert rule is evaluated too (project-files.md, "CEL in conditions"; SECURITY-001 rule 2; SECURITY-002 rule 2).
    const invalid: [string, Record<string, unknown>, RegExp][] = [
      ['by_uuid', { label: 'b' }, /unsupported/],
      ['by_amount', { id: 'a-ghost', amount: 7 }, /unsupported/],
      ['by_file', { id: 'f-three', doc: 'a.txt' }, /doc/],
    ];
    for (const [table, values, message] of invalid) {
      const response = await insert(table, values);
      assert.equal(response.status, 400, `${table} ${JSON.stringify(values)}: ${response.text.slice(0, 300)}`);
      assert.match(expectError(response, 400, 'BAD_REQUEST').message, message);
    }
    const stored = await project.sql(
      `SELECT id::text FROM by_uuid UNION ALL SELECT id FROM by_amount UNION ALL SELECT id FROM by_file UNION ALL SELECT id FROM by_flag UNION ALL SELECT id FROM by_big UNION ALL SELECT id FROM by_ratio UNION ALL SELECT id FROM by_level ORDER BY id`,
    );
    assert.deepEqual(
      stored.map((row) => row.id),
      ['b-number', 'b-string', 'f-true', 'l-three', 'r-two'],
      'only the accepted inserts were written',
    );
  },
);
