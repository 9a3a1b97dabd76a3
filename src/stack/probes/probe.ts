/**
 * Readiness probes and the race every wait runs: the probe chain against the
 * deadline, the death of what is probed, and the caller's abort signal.
 */
import { constants } from 'node:os';
import { StackStartError } from '../../errors.ts';

/** Output of a service as lines: what was seen so far and what comes next. */
export interface LineSource {
  lines(): readonly string[];
  /** Calls `onLine` for each new line until the returned function is called. */
  subscribe(onLine: (line: string) => void): () => void;
}

export interface Probe {
  /** What is waited for, as the failure message shows it. */
  readonly description: string;
  /** Resolves once ready; rejects with `signal.reason` soon after `signal` aborts. */
  wait(output: LineSource, signal: AbortSignal): Promise<void>;
}

/** How a process or container ended. */
export interface ExitInfo {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
}

export interface ReadinessWait {
  readonly service: string;
  /** Run in order; the service is ready when the last one resolves. */
  readonly probes: readonly Probe[];
  readonly output: LineSource;
  readonly deadlineMs: number;
  /** Settles when the service dies, with its output flushed. */
  readonly exited: Promise<ExitInfo>;
  /** The caller's abort signal (SIGINT, run timeout). */
  readonly signal: AbortSignal;
  /** Log tail for the failure, newest last. */
  readonly logTail: () => readonly string[];
}

export const FAILURE_TAIL_LINES = 50;

type Outcome =
  | { readonly kind: 'ready' }
  | { readonly kind: 'exited'; readonly exit: ExitInfo }
  | { readonly kind: 'timeout' }
  | { readonly kind: 'aborted' }
  | { readonly kind: 'probe-error'; readonly error: unknown };

/**
 * Resolves when every probe passed. Throws StackStartError if the service
 * dies, a probe fails or the deadline passes first; rethrows the abort reason
 * when the caller's signal fires first.
 */
export async function awaitReady(wait: ReadinessWait): Promise<void> {
  wait.signal.throwIfAborted();
  const probes = new AbortController();
  let current = wait.probes[0]?.description ?? 'the service to start';
  const chain = (async () => {
    for (const probe of wait.probes) {
      current = probe.description;
      await probe.wait(wait.output, probes.signal);
    }
  })();
  let timer: NodeJS.Timeout | undefined;
  let onAbort: (() => void) | undefined;
  const outcome = await new Promise<Outcome>((resolve) => {
    chain.then(
      () => resolve({ kind: 'ready' }),
      (error: unknown) => resolve({ kind: 'probe-error', error }),
    );
    void wait.exited.then((exit) => resolve({ kind: 'exited', exit }));
    timer = setTimeout(() => resolve({ kind: 'timeout' }), wait.deadlineMs);
    onAbort = () => resolve({ kind: 'aborted' });
    wait.signal.addEventListener('abort', onAbort, { once: true });
  });
  clearTimeout(timer);
  if (onAbort) wait.signal.removeEventListener('abort', onAbort);
  probes.abort(new Error('readiness wait ended'));
  chain.catch(() => undefined);
  if (outcome.kind === 'ready') return;
  if (outcome.kind === 'aborted') {
    wait.signal.throwIfAborted();
    throw new Error('aborted');
  }
  throw startFailure(wait, current, outcome);
}

function startFailure(
  wait: ReadinessWait,
  waitedFor: string,
  outcome: Exclude<Outcome, { kind: 'ready' | 'aborted' }>,
): StackStartError {
  const logTail = wait.logTail().slice(-FAILURE_TAIL_LINES);
  if (outcome.kind === 'exited') {
    const exitCode = exitCodeOf(outcome.exit);
    const how = outcome.exit.signal ? `was killed by ${outcome.exit.signal}` : `exited with code ${outcome.exit.code}`;
    return new StackStartError(`${wait.service} ${how} while waiting for ${waitedFor}`, {
      service: wait.service,
      waitedFor,
      exitCode,
      logTail,
    });
  }
  if (outcome.kind === 'timeout') {
    const message = `${wait.service} was not ready within ${formatMs(wait.deadlineMs)}: waited for ${waitedFor}`;
    return new StackStartError(message, { service: wait.service, waitedFor, exitCode: null, logTail });
  }
  const reason = outcome.error instanceof Error ? outcome.error.message : String(outcome.error);
  return new StackStartError(`${wait.service}: ${waitedFor} failed: ${reason}`, {
    service: wait.service,
    waitedFor,
    exitCode: null,
    logTail,
  });
}

/** Shell convention: a signal death is 128 + the signal number. */
export function exitCodeOf(exit: ExitInfo): number | null {
  if (exit.code !== null) return exit.code;
  if (exit.signal) return 128 + (constants.signals[exit.signal] ?? 0);
  return null;
}

export function formatMs(ms: number): string {
  return ms >= 1000 ? `${(ms / 1000).toFixed(ms % 1000 === 0 ? 0 : 1)} s` : `${ms} ms`;
}

/** Sleeps `ms`, rejecting with `signal.reason` if it aborts first. */
export function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) return reject(signal.reason);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal.reason);
    };
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal.addEventListener('abort', onAbort, { once: true });
  });
}
