import assert from 'node:assert/strict';
import { test } from 'node:test';
import { UsageError } from '../errors.ts';
import { parseShard, pickShard } from './shard.ts';
import { scenarioId } from './types.ts';

interface Item {
  readonly file: string;
  readonly name: string;
  readonly capability: string;
}

/** Capability Cn has n+1 scenarios; every scenario of Cn lasts (n+1) × 100 ms. */
const items: Item[] = Array.from({ length: 8 }, (_, n) =>
  Array.from({ length: n + 1 }, (_, k) => ({ file: `src/scenarios/x/c${n}.ts`, name: `s${k}`, capability: `C-00${n}` })),
).flat();
const timings = new Map(items.map((item) => [scenarioId(item), (Number(item.capability.slice(-1)) + 1) * 100]));

const all = (total: number, input: readonly Item[] = items, durations = timings) => Array.from({ length: total }, (_, index) => pickShard(input, { index: index + 1, total }, durations));

test('shards partition the selection, whatever the input order', () => {
  for (const durations of [timings, new Map<string, number>()]) {
    const shards = all(3, items, durations).map((pick) => pick.items);
    assert.equal(shards.flat().length, items.length);
    assert.equal(new Set(shards.flat()).size, items.length);
    const reversed = all(3, [...items].reverse(), durations).map((pick) => new Set(pick.items));
    assert.deepEqual(reversed, shards.map((shard) => new Set(shard)));
  }
});

test("a capability's scenarios stay in one shard", () => {
  for (const pick of all(4)) {
    for (const capability of new Set(pick.items.map((item) => item.capability))) {
      assert.equal(pick.items.filter((item) => item.capability === capability).length, items.filter((item) => item.capability === capability).length, capability);
    }
  }
});

test('with timings the shards are balanced by duration, and say so', () => {
  const sum = (pick: { items: readonly Item[] }) => pick.items.reduce((total, item) => total + (timings.get(scenarioId(item)) ?? 0), 0);
  const three = all(3);
  assert.ok(three.every((pick) => pick.strategy === 'duration'));
  const loads = three.map(sum);
  assert.deepEqual(three[0]?.loads, loads, "the reported loads are the shards' summed durations");
  assert.ok(Math.max(...loads) / Math.min(...loads) <= 1.1, loads.join(' '));
  // 20,400 ms over four shards: the heaviest capability (6,400 ms) alone sets the longest shard.
  assert.equal(Math.max(...all(4).map(sum)), 6400);
});

test('an untimed scenario weighs the mean of the timed ones', () => {
  const partial = new Map([...timings].filter(([id]) => !id.includes('c7.ts')));
  const pick = pickShard(items, { index: 1, total: 2 }, partial);
  const mean = [...partial.values()].reduce((sum, value) => sum + value, 0) / partial.size;
  assert.equal(pick.strategy, 'duration');
  assert.equal(pick.loads.reduce((sum, load) => sum + load, 0), [...partial.values()].reduce((sum, value) => sum + value, 0) + 8 * mean);
});

test('without timings the split is contiguous by scenario id, in even counts', () => {
  const singles = Array.from({ length: 10 }, (_, index) => ({ file: `src/scenarios/x/${index}.ts`, name: 'only', capability: `C-${index}` }));
  const picks = all(3, singles, new Map());
  assert.ok(picks.every((pick) => pick.strategy === 'id'));
  assert.deepEqual(picks.map((pick) => pick.items.map((item) => item.capability)), [['C-0', 'C-1', 'C-2'], ['C-3', 'C-4', 'C-5'], ['C-6', 'C-7', 'C-8', 'C-9']]);
});

test('a shard keeps the input order of what it picks; more shards than capabilities leaves some empty', () => {
  assert.deepEqual(pickShard(items, { index: 1, total: 1 }, timings).items, items);
  const picks = all(12);
  assert.equal(picks.filter((pick) => pick.items.length === 0).length, 4);
});

test('malformed shards are usage errors', () => {
  for (const shard of ['0/3', '4/3', '1/0', 'a/b', '1']) assert.throws(() => parseShard(shard), UsageError, shard);
  assert.deepEqual(parseShard('2/4'), { index: 2, total: 4 });
});
