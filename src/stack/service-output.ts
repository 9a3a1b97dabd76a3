/**
 * Where a service's output goes: a ring buffer (for failure messages and
 * report tails), `<logDir>/<service>.log`, live subscribers (log probes) and
 * the optional `[service]` stream of `--verbose`.
 */
import { createWriteStream, mkdirSync, type WriteStream } from 'node:fs';
import { join } from 'node:path';
import { createLineBuffer, createLineSplitter } from './line-buffer.ts';
import type { LineSource } from './probes/probe.ts';
import type { TimedLine } from './types.ts';

export const OUTPUT_RING_LINES = 2_000;

export interface ServiceOutput extends LineSource {
  readonly name: string;
  /** A writer for one stream (stdout, stderr, a log follower); lines from several writers interleave. */
  writer(): { write(chunk: string): void; end(): void };
  /** Adds one whole line, e.g. a message of the tool itself about the service. */
  line(text: string): void;
  tail(count?: number): string[];
  /** Kept lines that arrived at or after `from` (ms since the epoch), with their arrival time. */
  since(from: number): TimedLine[];
  /** Path of the log file, if one is written. */
  readonly logFile: string | undefined;
  /** Flushes and closes the log file. Idempotent. */
  close(): Promise<void>;
}

export interface ServiceOutputOptions {
  readonly logDir?: string;
  readonly onLine?: (service: string, line: string) => void;
  /** Applied to every line before it is kept, written or passed on: the run's redactor. */
  readonly redact?: (line: string) => string;
}

export function createServiceOutput(name: string, options: ServiceOutputOptions = {}): ServiceOutput {
  const buffer = createLineBuffer<TimedLine>(OUTPUT_RING_LINES);
  const subscribers = new Set<(line: string) => void>();
  const file = openLogFile(name, options.logDir);
  let closing: Promise<void> | undefined;
  const line = (raw: string) => {
    const text = options.redact ? options.redact(raw) : raw;
    buffer.push({ at: Date.now(), text });
    if (!closing) file?.write(`${text}\n`);
    options.onLine?.(name, text);
    for (const subscriber of subscribers) subscriber(text);
  };
  return {
    name,
    logFile: file?.path.toString(),
    line,
    writer() {
      const splitter = createLineSplitter(line);
      return { write: splitter.write, end: splitter.flush };
    },
    lines: () => buffer.tail().map((entry) => entry.text),
    tail: (count) => buffer.tail(count).map((entry) => entry.text),
    since: (from) => buffer.tail().filter((entry) => entry.at >= from),
    subscribe(onLine) {
      subscribers.add(onLine);
      return () => subscribers.delete(onLine);
    },
    close() {
      closing ??= file ? new Promise<void>((resolve) => file.end(resolve)) : Promise.resolve();
      return closing;
    },
  };
}

function openLogFile(name: string, logDir: string | undefined): WriteStream | undefined {
  if (!logDir) return undefined;
  mkdirSync(logDir, { recursive: true });
  const stream = createWriteStream(join(logDir, `${name}.log`), { flags: 'a' });
  // A full disk must not crash the run; the ring buffer still has the lines.
  stream.on('error', () => undefined);
  return stream;
}
