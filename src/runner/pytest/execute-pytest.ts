/**
 * Runs one selected pytest test as a scenario is run: one pytest process per
 * attempt, the per-test timeout (its process group killed), retries (a pass
 * on retry is flaky), status-aware outcome, transcript and service log tails.
 */
import { readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { AttemptRecord, ScenarioResult } from '../../model/results.ts';
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

interface Timed {
  readonly attempt: PytestAttempt;
  readonly from: number;
  readonly to: number;
  readonly durationMs: number;
}

export async function executePytest(test: SelectedScenario, options: PytestExecuteOptions): Promise<ScenarioResult> {
  const started = performance.now();
  const done: Timed[] = [];
  while (done.length <= options.retries && !options.signal.aborted) {
    const from = Date.now();
    const begin = performance.now();
    const attempt = await runAttempt(test, options);
    done.push({ attempt, from, to: Date.now(), durationMs: Math.round(performance.now() - begin) });
    if (attempt.status !== 'failed') break;
  }
  const durationMs = Math.round(performance.now() - started);
  const attempts = done.length;
  const last = done.at(-1);
  if (last === undefined || options.signal.aborted)
    return skippedResult(test, 'interrupted', { attempts, durationMs, transcript: last?.attempt.transcript ?? [] });
  const { attempt } = last;
  if (attempt.status === 'skipped')
    return skippedResult(test, attempt.skipReason ?? 'skipped by pytest', {
      attempts,
      durationMs,
      transcript: attempt.transcript,
    });
  const passed = attempt.status === 'passed';
  const earlier = await Promise.all(done.slice(0, -1).map((timed, index) => recordOf(timed, index, options)));
  return endedResult(test, {
    passed,
    attempts,
    durationMs,
    ...(attempt.error ? { error: attempt.error } : {}),
    transcript: attempt.transcript,
    logTails: passed ? [] : await options.logs(attempt.transcript, last.from, last.to),
    ...(earlier.length > 0 ? { earlierAttempts: earlier } : {}),
  });
}

/** A failed attempt before the last one, with its own log lines. */
async function recordOf(timed: Timed, index: number, options: PytestExecuteOptions): Promise<AttemptRecord> {
  const { attempt } = timed;
  const logTails = await options.logs(attempt.transcript, timed.from, timed.to);
  return {
    attempt: index + 1,
    passed: false,
    durationMs: timed.durationMs,
    ...(attempt.error ? { error: attempt.error } : {}),
    transcript: attempt.transcript,
    logTails,
  };
}

async function runAttempt(test: SelectedScenario, options: PytestExecuteOptions): Promise<PytestAttempt> {
  attemptCounter += 1;
  const resultsFile = join(options.session.scratchDir, `results-${process.pid}-${attemptCounter}.jsonl`);
  const invocation = options.session.invocation(test, resultsFile);
  const outcome = await runPytestProcess(invocation.argv, {
    cwd: invocation.cwd,
    env: invocation.env,
    timeoutMs: options.timeoutMs,
    signal: options.signal,
  });
  const text = await readFile(resultsFile, 'utf8').catch(() => '');
  await rm(resultsFile, { force: true });
  return readAttempt(text, outcome, invocation.nodeId, options.timeoutMs);
}
