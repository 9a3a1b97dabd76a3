/** Column defaults: which literals are accepted per type, and their DDL form (array defaults included). */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import pg from 'pg';
import { startTestPostgres, type TestPostgres } from '../../testing/postgres.ts';
import { defaultProblem, defaultSql } from './defaults.ts';
import type { ColumnDef } from './model.ts';

const arrayOf = (items: string, value: unknown): ColumnDef => ({
  type: 'array',
  items,
  nullable: false,
  unique: false,
  default: value,
});

test('array defaults must be lists of the item type', () => {
  assert.equal(defaultProblem('array', [], 'boolean'), undefined);
  assert.equal(defaultProblem('array', ['a', "it's"], 'string'), undefined);
  assert.equal(defaultProblem('array', [1, -2], 'int'), undefined);
  assert.equal(defaultProblem('array', [1.5, 2], 'float'), undefined);
  assert.match(defaultProblem('array', 'x', 'string') ?? '', /not a list/);
  assert.match(defaultProblem('array', [1.5], 'int') ?? '', /item 0/);
  assert.match(defaultProblem('array', [true, null], 'boolean') ?? '', /item 1/);
  assert.match(defaultProblem('array', [['a']], 'string') ?? '', /item 0/);
  assert.match(defaultProblem('array', ['a\u0000'], 'string') ?? '', /item 0/);
});

test('array defaults are written as typed array literals', () => {
  assert.equal(defaultSql(arrayOf('boolean', [])), "'{}'::boolean[]");
  assert.equal(defaultSql(arrayOf('string', ['a', "it's"])), "ARRAY['a', 'it''s']::text[]");
  assert.equal(defaultSql(arrayOf('int', [1, -2])), 'ARRAY[1, -2]::bigint[]');
  assert.equal(defaultSql(arrayOf('float', [1.5])), 'ARRAY[1.5]::double precision[]');
});

let postgres: TestPostgres;
before(async () => {
  postgres = await startTestPostgres();
});
after(() => postgres.stop());

test('the DDL form is accepted by PostgreSQL and yields the declared values', async () => {
  const client = new pg.Client({ connectionString: await postgres.createDatabase('defaults_test') });
  await client.connect();
  try {
    const columns = [
      `"flags" boolean[] NOT NULL DEFAULT ${defaultSql(arrayOf('boolean', []))}`,
      `"tags" text[] NOT NULL DEFAULT ${defaultSql(arrayOf('string', ['a', "it's"]))}`,
      `"scores" bigint[] NOT NULL DEFAULT ${defaultSql(arrayOf('int', [1, -2]))}`,
    ];
    await client.query(`CREATE TABLE t (id int, ${columns.join(', ')})`);
    await client.query('INSERT INTO t (id) VALUES (1)');
    const { rows } = await client.query('SELECT flags, tags, scores::text AS scores FROM t');
    assert.deepEqual(rows, [{ flags: [], tags: ['a', "it's"], scores: '{1,-2}' }]);
  } finally {
    await client.end();
  }
});
