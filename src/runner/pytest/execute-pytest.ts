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
import { outcomeOf } from '../outcome.ts';
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
  const status = test.document?.status?.value;
  const capabilityStatus = status === 'planned' || status === 'in_progress' ? status : 'implemented';
  const base = {
    id: test.id,
    file: test.file,
    name: test.name,
    line: test.line,
    capability: test.capability,
    domain: test.document?.domain?.value ?? test.file.split('/').at(-2) ?? '',
    capabilityStatus,
    attempts,
    durationMs: Math.round(performance.now() - started),
  } as const;
  if (attempt === undefined || options.signal.aborted) {
    return { ...base, outcome: 'skipped', passed: false, transcript: attempt?.transcript ?? [], logTails: [], skipReason: 'interrupted' };
  }
  if (attempt.status === 'skipped') {
    return { ...base, outcome: 'skipped', passed: false, transcript: attempt.transcript, logTails: [], skipReason: attempt.skipReason ?? 'skipped by pytest' };
  }
  const passed = attempt.status === 'passed';
  return {
    ...base,
    outcome: outcomeOf(capabilityStatus, passed, attempts),
    passed,
    ...(attempt.error ? { error: attempt.error } : {}),
    transcript: attempt.transcript,
    logTails: passed ? [] : await options.logs(attempt.transcript, span.from, span.to),
  };
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
