/**
 * Runs one selected pytest test as a scenario is run: one pytest process per
 * attempt, the per-test timeout (its process group killed), retries (a pass
 * on retry is flaky), status-aware outcome, transcript and service log tails.
 */
import { readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { ScenarioResult } from '../../model/results.ts';
import type { LogTail } from '../../model/stack.ts';
import type { TranscriptEntry } from '../../model/transcript.ts';
import type { SelectedScenario } from '../../plan/select.ts';
import { endedResult, skippedResult } from '../scenario-result.ts';
import { readAttempt, type PytestAttempt } from './pytest-attempt.ts';
import { runPytestProcess } from './pytest-process.ts';
import type { PytestSession } from './pytest-session.ts';

export interface PytestExecuteOptions {
  readonly session: PytestSession;
  readonly timeoutMs: number;
  readonly retries: number;
  readonly signal: AbortSignal;
  /** The service log lines of a failed attempt that ran from `from` to `to` (ms since the epoch). */
  readonly logs: (transcript: readonly TranscriptEntry[], from: number, to: number) => Promise<readonly LogTail[]>;
}

let attemptCounter = 0;

export async function executePytest(test: SelectedScenario, options: PytestExecuteOptions): Promise<ScenarioResult> {
  const started = performance.now();
  let attempt: PytestAttempt | undefined;
  let attempts = 0;
  let span = { from: Date.now(), to: Date.now() };
  while (attempts <= options.retries && !options.signal.aborted) {
    attempts += 1;
    span = { from: Date.now(), to: Date.now() };
    attempt = await runAttempt(test, options);
    span.to = Date.now();
    if (attempt.status !== 'failed') break;
  }
  const durationMs = Math.round(performance.now() - started);
  if (attempt === undefined || options.signal.aborted) return skippedResult(test, 'interrupted', { attempts, durationMs, transcript: attempt?.transcript ?? [] });
  if (attempt.status === 'skipped') return skippedResult(test, attempt.skipReason ?? 'skipped by pytest', { attempts, durationMs, transcript: attempt.transcript });
  const passed = attempt.status === 'passed';
  return endedResult(test, {
    passed,
    attempts,
    durationMs,
    ...(attempt.error ? { error: attempt.error } : {}),
    transcript: attempt.transcript,
    logTails: passed ? [] : await options.logs(attempt.transcript, span.from, span.to),
  });
}

async function runAttempt(test: SelectedScenario, options: PytestExecuteOptions): Promise<PytestAttempt> {
  attemptCounter += 1;
  const resultsFile = join(options.session.scratchDir, `results-${process.pid}-${attemptCounter}.jsonl`);
  const invocation = options.session.invocation(test, resultsFile);
  const outcome = await runPytestProcess(invocation.argv, { cwd: invocation.cwd, env: invocation.env, timeoutMs: options.timeoutMs, signal: options.signal });
  const text = await readFile(resultsFile, 'utf8').catch(() => '');
  await rm(resultsFile, { force: true });
  return readAttempt(text, outcome, invocation.nodeId, options.timeoutMs);
}
