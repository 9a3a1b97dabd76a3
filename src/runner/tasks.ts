/**
 * A run is a list of named tasks over a shared state. Each task registers the
 * teardown of whatever it is about to start *before* starting it; teardowns
 * run in reverse on every path: success, failure, timeout, interrupt, through
 * the same teardown engine the tests use (stack/teardown-stack.ts).
 */
import { InterruptedError } from '../errors.ts';
import { createTeardownStack, type TeardownFailure } from '../stack/teardown-stack.ts';
import type { TeardownRegistry } from '../stack/types.ts';
import { raceAbort } from '../util/async.ts';

export type { TeardownFailure } from '../stack/teardown-stack.ts';

export interface TaskContext extends TeardownRegistry {
  /** Aborted on SIGINT/SIGTERM; long waits must race it. */
  readonly signal: AbortSignal;
}

export interface Task<State> {
  readonly name: string;
  run(state: State, context: TaskContext): Promise<void>;
}

export interface TaskRunResult {
  /** The task that threw, and what it threw; undefined when all ran. */
  readonly failed?: { readonly task: string; readonly error: unknown };
  readonly teardownFailures: readonly TeardownFailure[];
}

export async function runTasks<State>(
  tasks: readonly Task<State>[],
  state: State,
  signal: AbortSignal,
): Promise<TaskRunResult> {
  const teardowns = createTeardownStack();
  const context: TaskContext = { signal, defer: (name, teardown) => teardowns.defer(name, teardown) };
  let failed: TaskRunResult['failed'];
  for (const task of tasks) {
    try {
      signal.throwIfAborted();
      await raceAbort(task.run(state, context), signal);
    } catch (error) {
      failed = { task: task.name, error: signal.aborted && error === signal.reason ? interrupted(signal) : error };
      break;
    }
  }
  return { ...(failed ? { failed } : {}), teardownFailures: await teardowns.runAll() };
}

function interrupted(signal: AbortSignal): InterruptedError {
  return signal.reason instanceof InterruptedError
    ? signal.reason
    : new InterruptedError(String(signal.reason ?? 'abort'));
}
