import assert from 'node:assert/strict';
import { test } from 'node:test';
import { readAttempt } from './pytest-attempt.ts';

const exited = { exitCode: 1, timedOut: false, interrupted: false, output: 'pytest said things\n' };
const line = (value: unknown) => JSON.stringify(value);

test('a failing test: its assertion, where it failed, its traceback, its transcript and captured output', () => {
  const text = [
    line({ event: 'session-start', placeholders: [] }),
    line({
      event: 'transcript',
      nodeid: 't.py::test_a',
      entry: {
        kind: 'http',
        at: 1,
        method: 'GET',
        url: 'http://hub/health',
        requestHeaders: {},
        status: 200,
        responseHeaders: {},
        responseBody: '{}',
        durationMs: 3,
      },
    }),
    'not json',
    line({
      event: 'test',
      nodeid: 't.py::test_a',
      outcome: 'failed',
      stdout: 'hello\n',
      error: {
        phase: 'call',
        message: 'assert 1 == 2',
        traceback: '>   assert 1 == 2\nE   assert 1 == 2',
        path: 't.py',
        line: 4,
      },
    }),
  ].join('\n');
  const attempt = readAttempt(text, exited, 't.py::test_a', 1000);
  assert.equal(attempt.status, 'failed');
  assert.equal(attempt.error?.message, 'assert 1 == 2\n  at t.py:4');
  assert.match(attempt.error?.stack ?? '', /^pytest traceback\n> {3}assert 1 == 2/);
  assert.deepEqual(
    attempt.transcript.map((entry) => entry.kind),
    ['http', 'note'],
  );
  assert.match(
    attempt.transcript[1]?.kind === 'note' ? attempt.transcript[1].text : '',
    /captured stdout of t\.py::test_a:\nhello/,
  );
});

test('skips, setup errors, collection errors, timeouts and a missing pytest each say what happened', () => {
  const skipped = readAttempt(
    line({ event: 'test', nodeid: 'n', outcome: 'skipped', skipReason: 'no docker' }),
    exited,
    'n',
    1000,
  );
  assert.deepEqual([skipped.status, skipped.skipReason], ['skipped', 'no docker']);
  const setup = readAttempt(
    line({ event: 'test', nodeid: 'n', outcome: 'error', error: { phase: 'setup', message: 'fixture boom' } }),
    exited,
    'n',
    1000,
  );
  assert.equal(setup.error?.message, 'fixture boom (in setup)');
  const collect = readAttempt(
    line({
      event: 'collect-error',
      nodeid: 't.py',
      longrepr: 'ImportError while importing\nE   ModuleNotFoundError: No module named x',
    }),
    exited,
    't.py::test_a',
    1000,
  );
  assert.equal(
    collect.error?.message,
    'pytest could not collect t.py::test_a: E   ModuleNotFoundError: No module named x',
  );
  const hung = readAttempt('', { ...exited, exitCode: null, timedOut: true }, 'n', 1500);
  assert.deepEqual(
    [hung.error?.timedOut, hung.error?.message],
    [true, 'timed out after 1500 ms: the pytest process group was killed'],
  );
  const nothing = readAttempt('', { ...exited, exitCode: 4 }, 'n', 1000);
  assert.equal(nothing.error?.message, 'pytest ran no test for n (exit code 4)');
  const missing = readAttempt('', { ...exited, exitCode: null, spawnError: 'cannot start python9: ENOENT' }, 'n', 1000);
  assert.equal(missing.error?.message, 'cannot start python9: ENOENT');
});
