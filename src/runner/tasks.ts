/**
 * A run is a list of named tasks over a shared state. Each task registers the
 * teardown of whatever it is about to start *before* starting it; teardowns
 * run in reverse on every path: success, failure, timeout, interrupt.
 */
import { InterruptedError } from '../errors.ts';
import type { TeardownRegistry } from '../stack/types.ts';

export interface TaskContext extends TeardownRegistry {
  /** Aborted on SIGINT/SIGTERM; long waits must race it. */
  readonly signal: AbortSignal;
}

export interface Task<State> {
  readonly name: string;
  run(state: State, context: TaskContext): Promise<void>;
}

export interface TeardownFailure {
  readonly name: string;
  readonly message: string;
}

export interface TaskRunResult {
  /** The task that threw, and what it threw; undefined when all ran. */
  readonly failed?: { readonly task: string; readonly error: unknown };
  readonly teardownFailures: readonly TeardownFailure[];
}

const TEARDOWN_DEADLINE_MS = 30_000;

export async function runTasks<State>(tasks: readonly Task<State>[], state: State, signal: AbortSignal): Promise<TaskRunResult> {
  const teardowns: { name: string; teardown: () => Promise<void> }[] = [];
  const context: TaskContext = {
    signal,
    defer: (name, teardown) => {
      teardowns.push({ name, teardown });
    },
  };
  let failed: TaskRunResult['failed'];
  for (const task of tasks) {
    try {
      if (signal.aborted) throw interrupted(signal);
      await raceAbort(task.run(state, context), signal);
    } catch (error) {
      failed = { task: task.name, error };
      break;
    }
  }
  return { failed, teardownFailures: await runTeardowns(teardowns.reverse()) };
}

async function runTeardowns(teardowns: readonly { name: string; teardown: () => Promise<void> }[]): Promise<TeardownFailure[]> {
  const failures: TeardownFailure[] = [];
  for (const { name, teardown } of teardowns) {
    try {
      await withDeadline(teardown(), TEARDOWN_DEADLINE_MS, `teardown '${name}' took longer than ${TEARDOWN_DEADLINE_MS} ms`);
    } catch (error) {
      failures.push({ name, message: error instanceof Error ? error.message : String(error) });
    }
  }
  return failures;
}

function interrupted(signal: AbortSignal): InterruptedError {
  return signal.reason instanceof InterruptedError ? signal.reason : new InterruptedError(String(signal.reason ?? 'abort'));
}

/** Settles with the promise, or rejects as soon as the signal aborts. */
export function raceAbort<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) return Promise.reject(interrupted(signal));
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(interrupted(signal));
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}

export function withDeadline<T>(promise: Promise<T>, ms: number, message: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(message)), ms);
  });
  return Promise.race([promise, deadline]).finally(() => clearTimeout(timer));
}
