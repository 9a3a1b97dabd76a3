/** Runs one selected scenario: timeout, retries, each attempt's transcript and log lines captured as data. */
import { AssertionError } from 'node:assert';
import { inspect } from 'node:util';
import type { RunnableScenario } from './import-scenarios.ts';
import type { ScenarioContext } from '../scenarios/kit/context.ts';
import type { LogTail } from '../model/stack.ts';
import { endedResult, skippedResult } from './scenario-result.ts';
import type { AttemptRecord, ScenarioError, ScenarioResult } from '../model/results.ts';
import { Transcript, type TranscriptEntry } from '../model/transcript.ts';

export interface ExecuteOptions {
  readonly timeoutMs: number;
  readonly retries: number;
  /** The run's signal: aborting it interrupts the scenario. */
  readonly signal: AbortSignal;
  readonly createContext: (transcript: Transcript, signal: AbortSignal) => ScenarioContext;
  /** The service log lines of a failed attempt that ran from `from` to `to` (ms since the epoch). */
  readonly logs: (transcript: readonly TranscriptEntry[], from: number, to: number) => Promise<readonly LogTail[]>;
}

interface Attempt {
  readonly passed: boolean;
  readonly error?: ScenarioError;
  readonly transcript: readonly TranscriptEntry[];
  readonly durationMs: number;
  readonly logTails: readonly LogTail[];
}

export async function executeScenario(scenario: RunnableScenario, options: ExecuteOptions): Promise<ScenarioResult> {
  const started = performance.now();
  const timeoutMs = scenario.definition.options.timeoutMs ?? options.timeoutMs;
  const done: Attempt[] = [];
  while (done.length <= options.retries && !options.signal.aborted) {
    const attempt = await runAttempt(scenario, options, timeoutMs);
    done.push(attempt);
    if (attempt.passed) break;
  }
  const attempt = done.at(-1);
  const durationMs = Math.round(performance.now() - started);
  if (attempt === undefined) return skippedResult(scenario, 'interrupted', { durationMs });
  return endedResult(scenario, {
    passed: attempt.passed,
    attempts: done.length,
    durationMs,
    ...(attempt.error ? { error: attempt.error } : {}),
    transcript: attempt.transcript,
    logTails: attempt.logTails,
    earlierAttempts: done.slice(0, -1).map(record),
  });
}

function record(attempt: Attempt, index: number): AttemptRecord {
  const { passed, error, transcript, durationMs, logTails } = attempt;
  return { attempt: index + 1, passed, durationMs, ...(error ? { error } : {}), transcript, logTails };
}

async function runAttempt(scenario: RunnableScenario, options: ExecuteOptions, timeoutMs: number): Promise<Attempt> {
  const from = Date.now();
  const started = performance.now();
  const ended = await attemptOnce(scenario, options, timeoutMs);
  const durationMs = Math.round(performance.now() - started);
  const transcript = ended.transcript.entries;
  const logTails = ended.passed || options.signal.aborted ? [] : await options.logs(transcript, from, Date.now());
  return { passed: ended.passed, ...(ended.error ? { error: ended.error } : {}), transcript, durationMs, logTails };
}

async function attemptOnce(
  scenario: RunnableScenario,
  options: ExecuteOptions,
  timeoutMs: number,
): Promise<{ passed: boolean; error?: ScenarioError; transcript: Transcript }> {
  const transcript = new Transcript();
  const controller = new AbortController();
  const stop = (reason: ScenarioError) => controller.abort(reason);
  const timer = setTimeout(() => stop({ message: `timed out after ${timeoutMs} ms`, timedOut: true }), timeoutMs);
  const onRunAbort = () => stop({ message: 'interrupted' });
  options.signal.addEventListener('abort', onRunAbort, { once: true });
  try {
    const aborted = new Promise<never>((_, reject) => {
      controller.signal.addEventListener('abort', () => reject(controller.signal.reason), { once: true });
    });
    await Promise.race([scenario.definition.run(options.createContext(transcript, controller.signal)), aborted]);
    return { passed: true, transcript };
  } catch (error) {
    return { passed: false, error: isScenarioError(error) ? error : toScenarioError(error), transcript };
  } finally {
    clearTimeout(timer);
    options.signal.removeEventListener('abort', onRunAbort);
  }
}

function isScenarioError(value: unknown): value is ScenarioError {
  return (
    typeof value === 'object' &&
    value !== null &&
    !(value instanceof Error) &&
    typeof (value as ScenarioError).message === 'string'
  );
}

export function toScenarioError(error: unknown): ScenarioError {
  if (error instanceof AssertionError) {
    return {
      message: error.message,
      ...(error.stack ? { stack: error.stack } : {}),
      expected: inspect(error.expected, { depth: 6, breakLength: 100 }),
      actual: inspect(error.actual, { depth: 6, breakLength: 100 }),
    };
  }
  if (error instanceof Error) return { message: error.message, ...(error.stack ? { stack: error.stack } : {}) };
  return { message: inspect(error) };
}
