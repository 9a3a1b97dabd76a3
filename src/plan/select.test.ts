import assert from 'node:assert/strict';
import { test } from 'node:test';
import { UsageError } from '../errors.ts';
import { applyShard } from './select.ts';
import { closest } from '../util/suggest.ts';

const items = Array.from({ length: 10 }, (_, index) => ({ file: `src/scenarios/x/${index % 3}.ts`, name: `scenario ${index}` }));

test('shards partition the items, deterministically, whatever the input order', () => {
  const shards = [1, 2, 3].map((index) => applyShard(items, `${index}/3`));
  assert.deepEqual(shards.map((shard) => shard.length), [3, 3, 4]);
  assert.equal(new Set(shards.flat()).size, items.length);
  const reversed = [1, 2, 3].map((index) => applyShard([...items].reverse(), `${index}/3`));
  assert.deepEqual(reversed.map((shard) => new Set(shard)), shards.map((shard) => new Set(shard)));
});

test('a shard keeps the input order of the items it picks', () => {
  const shard = applyShard(items, '1/1');
  assert.deepEqual(shard, items);
});

test('malformed shards are usage errors', () => {
  for (const shard of ['0/3', '4/3', '1/0', 'a/b', '1']) {
    assert.throws(() => applyShard(items, shard), UsageError, shard);
  }
});

test('closest names: typos and substrings, best first', () => {
  assert.deepEqual(closest('AUTH-01', ['AUTH-001', 'AUTH-002', 'CRUD-001']), ['AUTH-001', 'AUTH-002']);
  assert.deepEqual(closest('crd', ['operator', 'auth', 'crud']), ['crud']);
  assert.deepEqual(closest('zzzzzz', ['auth']), []);
});
