/**
 * A minimal TeardownRegistry: teardowns run newest first, each bounded by a
 * deadline, and every failure is collected instead of stopping the rest.
 */
import type { TeardownRegistry } from './types.ts';

export interface TeardownFailure {
  readonly name: string;
  readonly error: unknown;
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

export const DEFAULT_TEARDOWN_DEADLINE_MS = 20_000;

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
          await withDeadline(entry, deadlineMs);
        } catch (error) {
          failures.push({ name: entry.name, error });
        }
      }
      return failures;
    },
  };
}

async function withDeadline(entry: Entry, deadlineMs: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const missed = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`teardown "${entry.name}" did not finish within ${deadlineMs} ms`)), deadlineMs);
  });
  try {
    // A teardown that throws synchronously is still collected, not fatal.
    await Promise.race([Promise.resolve().then(entry.teardown), missed]);
  } finally {
    clearTimeout(timer);
  }
}
