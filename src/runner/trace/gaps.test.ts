import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { TraceSettings } from '../../model/trace.ts';
import { attribute, isUnder, traceFile } from './gaps.ts';
import type { Coverage, FileFunctions } from './v8-coverage.ts';

const SETTINGS: TraceSettings = { threshold: 0.25, minFunctions: 2 };

/** A file of `total` functions (`line 1` … `line N`) of which those listed ran. */
function file(total: number, executed: readonly number[]): FileFunctions {
  const known = new Map(Array.from({ length: total }, (_, index) => [`line ${index + 1}`, `f${index + 1}`] as const));
  return { known, executed: new Set(executed.map((line) => `line ${line}`)) };
}

function coverage(files: Record<string, FileFunctions>): Coverage {
  return { files: new Map(Object.entries(files)), processes: 1 };
}

const WHERE = 'reference/bridge/where.ts';
const run = coverage({ [WHERE]: file(8, [1, 2, 3, 4]), 'reference/bridge/app.ts': file(8, [1, 2, 3, 4]) });
const baseline = coverage({ 'reference/bridge/app.ts': file(8, [1, 2, 3, 4]) });

const inputs = { coverage: run, baseline, dependencyRefs: [], plumbing: [], settings: SETTINGS };

test('a file the run executes beyond the baseline and no code_refs name is a gap, with its figures', () => {
  const found = attribute({ ...inputs, codeRefs: ['reference/bridge/select.ts'] });
  assert.deepEqual(
    found.gaps.map((gap) => gap.file),
    [WHERE],
  );
  assert.deepEqual(found.gaps[0], {
    file: WHERE,
    functions: 8,
    beyondBaseline: 4,
    share: 0.5,
    executed: ['f1', 'f2', 'f3', 'f4'],
  });
  assert.deepEqual(found.named, []);
  assert.deepEqual(found.unexecutedRefs, ['reference/bridge/select.ts']);
});

test('no gap when code_refs name the file, or a folder holding it, with a suffix or a trailing slash', () => {
  for (const ref of [WHERE, 'reference/bridge', './reference/bridge/', `${WHERE}:12`, `${WHERE}#where`]) {
    const found = attribute({ ...inputs, codeRefs: [ref] });
    assert.deepEqual(found.gaps, [], ref);
    assert.deepEqual(
      found.named.map((named) => named.file),
      [WHERE],
      ref,
    );
    assert.deepEqual(found.unexecutedRefs, [], ref);
  }
  assert.equal(isUnder(WHERE, 'reference/bri'), false, 'a name prefix is not a folder');
});

test('the code_refs of a dependency and the plumbing list each keep a file out of the gaps, in that order', () => {
  const viaDepends = attribute({ ...inputs, codeRefs: [], dependencyRefs: [WHERE], plumbing: [WHERE] });
  assert.deepEqual([viaDepends.gaps.length, viaDepends.viaDepends.length, viaDepends.plumbing.length], [0, 1, 0]);
  const plumbing = attribute({ ...inputs, codeRefs: [], plumbing: ['reference/bridge/'] });
  assert.deepEqual([plumbing.gaps.length, plumbing.viaDepends.length, plumbing.plumbing.length], [0, 0, 1]);
});

test('what the baseline already executed does not count', () => {
  const found = attribute({ ...inputs, codeRefs: [] });
  assert.ok(!found.gaps.some((gap) => gap.file === 'reference/bridge/app.ts'));
  const traced = traceFile('x', file(8, [1, 2, 3, 4, 5]), file(8, [1, 2, 3, 4]));
  assert.deepEqual([traced.beyondBaseline, traced.executed], [1, ['f5']]);
});

test('below the share or the minimum number of functions a file is not substantial', () => {
  const few = coverage({ [WHERE]: file(8, [1]) });
  assert.deepEqual(attribute({ ...inputs, coverage: few, codeRefs: [] }).gaps, [], 'one function of eight');
  const thin = coverage({ [WHERE]: file(20, [1, 2, 3, 4]) });
  assert.deepEqual(attribute({ ...inputs, coverage: thin, codeRefs: [] }).gaps, [], 'four of twenty is 20 %');
  const lower = attribute({ ...inputs, coverage: thin, codeRefs: [], settings: { threshold: 0.2, minFunctions: 4 } });
  assert.deepEqual(
    lower.gaps.map((gap) => gap.file),
    [WHERE],
    'at 20 % and four functions it counts',
  );
});
