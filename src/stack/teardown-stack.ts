/**
 * The one teardown engine, the same for `santokit-it run`, `stack up`, the
 * tests and the benchmarks: teardowns run newest first, each bounded by a
 * deadline, and every failure is collected instead of stopping the rest.
 */
import { withDeadline } from '../util/async.ts';
import type { TeardownRegistry } from './types.ts';

export interface TeardownFailure {
  readonly name: string;
  readonly message: string;
}

export interface TeardownStack extends TeardownRegistry {
  /** Teardowns registered and not yet run. */
  readonly size: number;
  /**
   * Runs every pending teardown in reverse registration order, including ones
   * registered while it runs. Safe to call again: each teardown runs once.
   * Never rejects; returns the failures (errors and missed deadlines).
   */
  runAll(options?: { readonly deadlineMs?: number }): Promise<readonly TeardownFailure[]>;
}

interface Entry {
  readonly name: string;
  readonly teardown: () => Promise<void>;
}

/** Per teardown: a compose `down` waits up to 25 s for an unfinished `up` first. */
export const DEFAULT_TEARDOWN_DEADLINE_MS = 30_000;

export function createTeardownStack(): TeardownStack {
  const pending: Entry[] = [];
  return {
    defer(name, teardown) {
      pending.push({ name, teardown });
    },
    get size() {
      return pending.length;
    },
    async runAll(options = {}) {
      const deadlineMs = options.deadlineMs ?? DEFAULT_TEARDOWN_DEADLINE_MS;
      const failures: TeardownFailure[] = [];
      for (let entry = pending.pop(); entry; entry = pending.pop()) {
        try {
          // A teardown that throws synchronously is still collected, not fatal.
          await withDeadline(
            Promise.resolve().then(entry.teardown),
            deadlineMs,
            `teardown "${entry.name}" did not finish within ${deadlineMs} ms`,
          );
        } catch (error) {
          failures.push({ name: entry.name, message: error instanceof Error ? error.message : String(error) });
        }
      }
      return failures;
    },
  };
}
