import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import type { ScenarioResult } from '../model/results.ts';
import { longestFirst, readTimings, writeTimings } from './timings.ts';

function result(id: string, durationMs: number, outcome: ScenarioResult['outcome'] = 'passed'): ScenarioResult {
  const base = {
    id,
    file: 'f.ts',
    name: id,
    line: 1,
    capability: 'X-001',
    domain: 'crud',
    capabilityStatus: 'implemented',
    durationMs,
    transcript: [],
    logTails: [],
  } as const;
  if (outcome === 'skipped') return { ...base, outcome, passed: false, attempts: 0, skipReason: 'not run' };
  if (outcome === 'failed' || outcome === 'expected-failure') return { ...base, outcome, passed: false, attempts: 1 };
  return { ...base, outcome, passed: true, attempts: 1 };
}

describe('timings', () => {
  test('longest known first, never timed before them, ties in file order', () => {
    const timings = new Map([
      ['a', 100],
      ['b', 900],
      ['c', 100],
    ]);
    assert.deepEqual(longestFirst(['a', 'b', 'c', 'new'], timings), [3, 1, 0, 2]);
    assert.deepEqual(longestFirst(['a', 'b'], new Map()), [0, 1]);
  });

  test('written after a run, merged with earlier ones, skipped scenarios left out; bad files read as empty', () => {
    const root = mkdtempSync(join(tmpdir(), 'timings-'));
    try {
      assert.equal(readTimings(root).size, 0);
      writeTimings(root, [result('a', 10), result('b', 20)]);
      writeTimings(root, [result('b', 30), result('c', 40, 'skipped')]);
      assert.deepEqual(
        [...readTimings(root)],
        [
          ['a', 10],
          ['b', 30],
        ],
      );
      assert.match(readFileSync(join(root, '.santokit-it/timings.json'), 'utf8'), /"version": 1/);
      writeFileSync(join(root, '.santokit-it/timings.json'), '{ not json');
      assert.equal(readTimings(root).size, 0);
      mkdirSync(join(root, 'ro'));
      writeFileSync(join(root, 'ro/.santokit-it'), 'a file where the folder should be');
      assert.doesNotThrow(() => writeTimings(join(root, 'ro'), [result('a', 1)]));
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });
});
