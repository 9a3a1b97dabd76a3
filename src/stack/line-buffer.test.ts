import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createLineBuffer, createLineSplitter } from './line-buffer.ts';

describe('createLineBuffer', () => {
  it('keeps the newest lines in order once it wraps', () => {
    const buffer = createLineBuffer(3);
    for (const line of ['a', 'b', 'c', 'd', 'e']) buffer.push(line);
    assert.deepEqual(buffer.tail(), ['c', 'd', 'e']);
    assert.deepEqual(buffer.tail(2), ['d', 'e']);
    assert.deepEqual(buffer.tail(50), ['c', 'd', 'e']);
    assert.equal(buffer.total, 5);
  });

  it('returns what it has before it is full, and nothing for a zero tail', () => {
    const buffer = createLineBuffer(10);
    buffer.push('only');
    assert.deepEqual(buffer.tail(), ['only']);
    assert.deepEqual(buffer.tail(0), []);
  });

  it('rejects a capacity that is not a positive integer', () => {
    assert.throws(() => createLineBuffer(0), RangeError);
    assert.throws(() => createLineBuffer(1.5), RangeError);
  });
});

describe('createLineSplitter', () => {
  it('joins lines split across chunks and strips CRLF', () => {
    const lines: string[] = [];
    const splitter = createLineSplitter((line) => lines.push(line));
    splitter.write('hel');
    splitter.write('lo\r\nwor');
    splitter.write('ld\n\nlast');
    assert.deepEqual(lines, ['hello', 'world', '']);
    splitter.flush();
    assert.deepEqual(lines, ['hello', 'world', '', 'last']);
    splitter.flush();
    assert.equal(lines.length, 4);
  });
});
