/** The run's last phase: the report, built from what each earlier phase left, on every path. */
import { ExitCode, InterruptedError, SantokitItError, StackStartError, UsageError } from '../errors.ts';
import {
  REPORT_SCHEMA_VERSION,
  type RunReport,
  type RunStatus,
  type ScenarioResult,
  type StackReport,
} from '../model/results.ts';
import { catalogHash } from '../plan/catalog-hash.ts';
import type { SelectedScenario } from '../plan/select.ts';
import { countOutcomes, exitCodeFor, summariseCapabilities } from './outcome.ts';
import type { Planning } from './plan-run.ts';
import { skippedResult } from './scenario-result.ts';
import type { TeardownFailure } from './tasks.ts';

/** What the run got to, for the report. */
export interface RunEnd {
  readonly planning: Planning;
  /** The stack as far as it got; undefined when none was started. */
  readonly stackReport?: StackReport;
  /** Results by selection index, as each scenario ended. */
  readonly results: ReadonlyMap<number, ScenarioResult>;
  readonly bailed: boolean;
  /** What stopped the run early, if anything. */
  readonly error: unknown;
  readonly teardownFailures: readonly TeardownFailure[];
  readonly signal: AbortSignal;
  readonly strict: boolean;
  readonly startedAt: Date;
  readonly durationMs: number;
}

export function buildReport(end: RunEnd): RunReport {
  const { planning } = end;
  const results = completeResults(planning.phase === 'planned' ? planning.selection.scenarios : [], end);
  const failure = classify(end.error, end.signal, results, end.strict);
  const stack =
    failure.error instanceof StackStartError && end.stackReport
      ? { ...end.stackReport, failure: failure.error.failure }
      : end.stackReport;
  return {
    schemaVersion: REPORT_SCHEMA_VERSION,
    tool: 'santokit-it',
    startedAt: end.startedAt.toISOString(),
    durationMs: end.durationMs,
    status: failure.status,
    exitCode: failure.exitCode,
    strict: end.strict,
    ...(planning.catalog ? { catalogHash: catalogHash(planning.catalog) } : {}),
    ...(planning.phase === 'planned' && planning.selection.shard ? { shard: planning.selection.shard } : {}),
    ...(stack ? { stack } : {}),
    counts: countOutcomes(results),
    capabilities: summariseCapabilities(results, planning.catalog?.documents ?? []),
    scenarios: results,
    ...(planning.validation ? { validation: planning.validation } : {}),
    ...(failure.error ? { error: describe(failure.error) } : {}),
    ...(end.teardownFailures.length > 0 ? { teardownFailures: end.teardownFailures } : {}),
  };
}

/** Every selected scenario gets a result; those that never finished are skipped, with the reason. */
function completeResults(selected: readonly SelectedScenario[], end: RunEnd): ScenarioResult[] {
  const reason = end.signal.aborted
    ? 'interrupted'
    : end.error instanceof StackStartError
      ? 'stack failed to start'
      : end.bailed
        ? 'bail'
        : 'not run';
  return selected.map((scenario, index) => end.results.get(index) ?? skippedResult(scenario, reason));
}

function classify(
  error: unknown,
  signal: AbortSignal,
  results: readonly ScenarioResult[],
  strict: boolean,
): { status: RunStatus; exitCode: number; error?: unknown } {
  if (error instanceof InterruptedError || (signal.aborted && error === undefined))
    return { status: 'interrupted', exitCode: ExitCode.interrupted, error };
  if (error instanceof StackStartError) return { status: 'stack-failed', exitCode: ExitCode.stackFailed, error };
  if (error instanceof UsageError) return { status: 'invalid', exitCode: ExitCode.invalidInput, error };
  if (error !== undefined)
    return { status: 'failed', exitCode: error instanceof SantokitItError ? error.exitCode : ExitCode.failed, error };
  const exitCode = exitCodeFor(results, strict);
  return { status: exitCode === ExitCode.passed ? 'passed' : 'failed', exitCode };
}

function describe(error: unknown): { message: string; hint?: string } {
  if (error instanceof SantokitItError) return { message: error.message, ...(error.hint ? { hint: error.hint } : {}) };
  if (error instanceof Error) return { message: `internal error: ${error.stack ?? error.message}` };
  return { message: `internal error: ${String(error)}` };
}
