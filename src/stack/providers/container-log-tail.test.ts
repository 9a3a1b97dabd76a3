import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { KEPT_STDERR_LINES, mergedTail, parseStamped } from './container-log-tail.ts';

const stamp = (n: number) => `2026-12-07T06:06:36.${String(n).padStart(6, '0').replace(/0+$/, '')}Z`;
const out = (range: number[]) => parseStamped(range.map((n) => `${stamp(n)} line ${n}`).join('\n') + '\n', 'stdout');
const numbers = (count: number, from = 1) => Array.from({ length: count }, (_, i) => from + i);

describe('container log tail', () => {
  it('parses stamps and keeps text with spaces; a line without a stamp is kept unstamped', () => {
    const lines = parseStamped(`${stamp(5)} fatal: no db here\nplain text\n\n`, 'stderr');
    assert.deepEqual(lines, [
      { stream: 'stderr', stamp: stamp(5), text: 'fatal: no db here' },
      { stream: 'stderr', stamp: '', text: 'plain text' },
    ]);
  });

  it('orders by stamp although Docker trims the fraction (.5 is after .123456)', () => {
    const stdout = parseStamped('2026-12-07T06:06:36.5Z second\n', 'stdout');
    const stderr = parseStamped('2026-12-07T06:06:36.123456Z first\n', 'stderr');
    assert.deepEqual(mergedTail(stdout, stderr, 10), ['first', 'second']);
  });

  it('keeps a final stderr line that Docker stamped before sixty stdout lines', () => {
    const stderr = parseStamped(`${stamp(1)} fatal: cannot reach the database\n`, 'stderr');
    const tail = mergedTail(out(numbers(60, 2)), stderr, 50);
    assert.equal(tail.length, 50);
    assert.equal(tail[0], 'fatal: cannot reach the database');
    assert.equal(tail.at(-1), 'line 61');
    assert.equal(tail[1], 'line 13');
  });

  it('keeps only the last few stderr lines that way; older stderr lines may fall out', () => {
    const stderr = parseStamped(
      numbers(8)
        .map((n) => `${stamp(n)} err ${n}`)
        .join('\n'),
      'stderr',
    );
    const tail = mergedTail(out(numbers(100, 100)), stderr, 20);
    assert.deepEqual(
      tail.filter((line) => line.startsWith('err')),
      numbers(KEPT_STDERR_LINES, 8 - KEPT_STDERR_LINES + 1).map((n) => `err ${n}`),
    );
    assert.equal(tail.length, 20);
    assert.equal(tail.at(-1), 'line 199');
  });

  it('is the plain last lines when nothing was pushed out, and empty for a count of 0', () => {
    const stderr = parseStamped(`${stamp(69)} warn\n`, 'stderr');
    assert.deepEqual(mergedTail(out(numbers(3, 68)), stderr, 50), ['line 68', 'line 69', 'warn', 'line 70']);
    assert.deepEqual(mergedTail(out(numbers(3)), [], 0), []);
  });
});
