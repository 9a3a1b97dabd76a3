import assert from 'node:assert/strict';
import { test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { runPool } from './scheduler.ts';

test('never runs more than `jobs` at once and returns results in input order', async () => {
  let running = 0;
  let peak = 0;
  const results = await runPool(
    [30, 5, 20, 1, 10, 2],
    async (ms, index) => {
      running += 1;
      peak = Math.max(peak, running);
      await sleep(ms);
      running -= 1;
      return index;
    },
    { jobs: 3 },
  );
  assert.deepEqual(results, [0, 1, 2, 3, 4, 5]);
  assert.equal(peak, 3);
});

test('runs concurrently: four 50 ms items with 4 jobs take well under 200 ms of waiting', async () => {
  const starts: number[] = [];
  await runPool(
    [1, 2, 3, 4],
    async () => {
      starts.push(performance.now());
      await sleep(50);
    },
    { jobs: 4 },
  );
  assert.ok(Math.max(...starts) - Math.min(...starts) < 40, 'all four started before the first ended');
});

test('shouldStop stops scheduling; unstarted items stay undefined', async () => {
  let stop = false;
  const results = await runPool(
    [1, 2, 3, 4],
    async (item) => {
      if (item === 2) stop = true;
      return item;
    },
    { jobs: 1, shouldStop: () => stop },
  );
  assert.deepEqual(results, [1, 2, undefined, undefined]);
});
