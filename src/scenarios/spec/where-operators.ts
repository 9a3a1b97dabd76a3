/**
 * plan/spec/call-api.md, "where": a condition is a scalar (equality), null
 * (IS NULL) or an object with exactly one operator — `$eq $ne $gt $gte $lt
 * $lte` take a scalar, `$in` an array of scalars; conditions are ANDed. Any
 * other operator or JSON type is 400 BAD_REQUEST, a value that does not fit
 * its column 400 SCHEMA_VALIDATION_FAILED naming the column. Santokit's own
 * documents say nothing about operators (its Bridge knows equality only), so
 * every check here rests on call-api.md.
 */
import assert from 'node:assert/strict';
import {
  adminCaller,
  applyFolder,
  bootstrapProject,
  defineScenario,
  expectError,
  expectInvalidColumn,
  expectNoData,
  expectRows,
  readProjectFolder,
} from '../kit/index.ts';
import type { Credentials, HttpResponse, ScenarioContext } from '../kit/index.ts';

const MEASURES_SCHEMA = `version: 1
tables:
  measures:
    connection: main
    id: { name: id, generate: client }
    columns:
      level: { type: int, nullable: false }
      label: { type: string, nullable: true }
      active: { type: boolean, nullable: true }
      tags: { type: array, items: string, nullable: true }
      at: { type: timestamp, nullable: true }
`;

const MEASURES_RULES = `
  measures:
    select: { roles: [admin] }
    insert: { roles: [admin] }
`;

/** m1 (1, 'a', true), m2 (2, 'b', false), m3 (3, no label, true). */
const ROWS = [
  { id: 'm1', level: 1, label: 'a', active: true, tags: ['x'], at: '2026-01-01T00:00:00Z' },
  { id: 'm2', level: 2, label: 'b', active: false, tags: ['y'] },
  { id: 'm3', level: 3, label: null, active: true, tags: null },
];

/** `basic` plus a `measures` table; returns a select of it as the admin key. */
async function measures(ctx: ScenarioContext): Promise<(where: unknown) => Promise<HttpResponse>> {
  const bootstrapped = await bootstrapProject(ctx, 'basic', { prefix: 'wherops' });
  const folder = readProjectFolder(bootstrapped.dir);
  await applyFolder(
    ctx,
    { project: bootstrapped.project, env: bootstrapped.env, ref: 'v2', dir: bootstrapped.dir },
    {
      schema: [...folder.schema, MEASURES_SCHEMA],
      permissions: `${folder.permissions ?? 'tables:\n'}${MEASURES_RULES}`,
    },
  );
  const admin: Credentials = await adminCaller(ctx, bootstrapped);
  for (const values of ROWS) {
    const inserted = await ctx.bridge.call('db/measures/insert', { values }, admin);
    assert.equal(inserted.status, 200, `insert ${values.id}: ${inserted.text.slice(0, 300)}`);
  }
  return (where) => ctx.bridge.call('db/measures/select', { where }, admin);
}

async function idsOf(response: Promise<HttpResponse>): Promise<string[]> {
  return expectRows<{ id: string }>(await response)
    .map((row) => row.id)
    .sort();
}

export const whereOperators = defineScenario(
  'CRUD-001',
  'where operators select exactly the rows on their side of the boundary',
  async (ctx) => {
    const select = await measures(ctx);
    const cases: [string, unknown, string[]][] = [
      ['$gt 2', { level: { $gt: 2 } }, ['m3']],
      ['$gte 2', { level: { $gte: 2 } }, ['m2', 'm3']],
      ['$lt 2', { level: { $lt: 2 } }, ['m1']],
      ['$lte 2', { level: { $lte: 2 } }, ['m1', 'm2']],
      ['$eq 2', { level: { $eq: 2 } }, ['m2']],
      ['$ne 2', { level: { $ne: 2 } }, ['m1', 'm3']],
      ['$gt on text', { label: { $gt: 'a' } }, ['m2']],
      ['a number scalar', { level: 3 }, ['m3']],
      ['a boolean scalar', { active: false }, ['m2']],
      ['$eq true', { active: { $eq: true } }, ['m1', 'm3']],
      ['null', { label: null }, ['m3']],
      ['$in of numbers', { level: { $in: [1, 3, 7] } }, ['m1', 'm3']],
      ['$in of strings', { label: { $in: ['b', 'zz'] } }, ['m2']],
      ['$in of booleans', { active: { $in: [false] } }, ['m2']],
      ['$in empty', { level: { $in: [] } }, []],
      ['two conditions ANDed', { active: true, level: { $gt: 1 } }, ['m3']],
      ['no match', { level: { $gt: 3 } }, []],
      // project-files.md: a timestamp is an RFC 3339 instant, stored in UTC; an offset names the same instant.
      ['a timestamp with an offset', { at: '2026-01-01T02:00:00+02:00' }, ['m1']],
      ['$in of timestamps with an offset', { at: { $in: ['2026-01-01T01:00:00+01:00'] } }, ['m1']],
      // Documents silent; Santokit's Bridge ignores a null where (upstream bridge.md, select params).
      ['where null', null, ['m1', 'm2', 'm3']],
    ];
    for (const [what, where, expected] of cases) {
      assert.deepEqual(await idsOf(select(where)), expected, `${what}: ${JSON.stringify(where)}`);
    }
  },
);

export const whereRefusals = defineScenario(
  'CRUD-001',
  'malformed where conditions are refused with the code call-api.md gives',
  async (ctx) => {
    const select = await measures(ctx);
    // errors.md: a field of the wrong JSON type is a BAD_REQUEST whose message names it (the column, or the operator).
    const badRequest: [string, unknown, string][] = [
      ['two operators', { level: { $gt: 1, $lt: 3 } }, "'level'"],
      ['no operator', { level: {} }, "'level'"],
      ['an unknown operator', { level: { $between: [1, 3] } }, "'$between'"],
      ['an inherited name as operator', { level: { constructor: 1 } }, "'constructor'"],
      ['another inherited name', { level: { toString: 1 } }, "'toString'"],
      ['$gt with null', { level: { $gt: null } }, "'level'"],
      ['$lte with null', { level: { $lte: null } }, "'level'"],
      ['$gt with an array', { level: { $gt: [1] } }, "'level'"],
      ['$eq with an object', { level: { $eq: { v: 1 } } }, "'level'"],
      ['an array condition', { level: [1, 2] }, "'level'"],
      ['a one-item array condition', { level: [1] }, "'level'"],
      ['$in with a scalar', { level: { $in: 1 } }, "'level'"],
      ['$in with an object', { level: { $in: { a: 1 } } }, "'level'"],
      ['$in with a nested array', { level: { $in: [[1]] } }, "'level'"],
      ['$in with null', { level: { $in: [1, null] } }, "'level'"],
      ['$in with an object item', { level: { $in: [{ v: 1 }] } }, "'level'"],
    ];
    for (const [what, where, named] of badRequest) {
      const response = await select(where);
      assert.equal(response.status, 400, `${what}: ${response.text.slice(0, 300)}`);
      assert.ok(expectError(response, 400, 'BAD_REQUEST').message.includes(named), `${what}: message names ${named}`);
      expectNoData(response);
    }
    const misfits: [string, unknown, string][] = [
      ['text for an int', { level: 'two' }, 'level'],
      ['a fraction for an int', { level: 2.5 }, 'level'],
      ['a boolean for an int', { level: true }, 'level'],
      ['a number for text', { label: 5 }, 'label'],
      ['a number for a boolean', { active: 1 }, 'active'],
      ['$gt with text for an int', { level: { $gt: 'high' } }, 'level'],
      ['$ne with a number for text', { label: { $ne: 1 } }, 'label'],
      ['$in with one misfit', { level: { $in: [1, 'two'] } }, 'level'],
      ['a scalar for an array column', { tags: 'x' }, 'tags'],
      ['$eq on an array column', { tags: { $eq: 'x' } }, 'tags'],
      ['$in on an array column', { tags: { $in: ['x'] } }, 'tags'],
    ];
    for (const [what, where, column] of misfits) {
      const response = await select(where);
      assert.equal(response.status, 400, `${what}: ${response.text.slice(0, 300)}`);
      // call-api.md: the column is in details and its name in the message.
      assert.match(expectInvalidColumn(response, column).message, new RegExp(`'${column}'`), `${what}: message`);
    }
  },
);
