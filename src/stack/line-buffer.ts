/**
 * Service output as lines: a fixed-size ring buffer of the newest lines, and a
 * splitter that turns stream chunks into whole lines.
 */

export interface LineBuffer<T = string> {
  push(line: T): void;
  /** The newest `count` lines (all kept lines when omitted), oldest first. */
  tail(count?: number): T[];
  /** Lines pushed since creation, including the ones the ring dropped. */
  readonly total: number;
}

export function createLineBuffer<T = string>(capacity: number): LineBuffer<T> {
  if (!Number.isInteger(capacity) || capacity < 1)
    throw new RangeError(`capacity must be a positive integer, got ${capacity}`);
  const ring: T[] = new Array<T>(capacity);
  let total = 0;
  return {
    push(line) {
      ring[total % capacity] = line;
      total += 1;
    },
    tail(count = capacity) {
      const kept = Math.min(total, capacity, Math.max(0, count));
      const out: T[] = [];
      for (let i = total - kept; i < total; i += 1) out.push(ring[i % capacity] as T);
      return out;
    },
    get total() {
      return total;
    },
  };
}

/**
 * Feeds chunks in, calls `onLine` once per complete line (without `\n`/`\r\n`).
 * `flush()` emits a trailing line that had no newline, e.g. when the stream ends.
 */
export function createLineSplitter(onLine: (line: string) => void): { write(chunk: string): void; flush(): void } {
  let partial = '';
  return {
    write(chunk) {
      const parts = (partial + chunk).split('\n');
      partial = parts.pop() ?? '';
      for (const part of parts) onLine(part.endsWith('\r') ? part.slice(0, -1) : part);
    },
    flush() {
      if (partial !== '') onLine(partial);
      partial = '';
    },
  };
}
