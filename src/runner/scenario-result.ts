/**
 * The one place a ScenarioResult is made, whatever ran the test (a
 * TypeScript scenario, a pytest test) or kept it from running: the metadata
 * from the selection, the variant from how it ended.
 */
import type { CapabilityStatus } from '../model/capability.ts';
import type { AttemptRecord, FailedResult, PassedResult, ScenarioMeta, SkippedResult } from '../model/results.ts';
import type { TranscriptEntry } from '../model/transcript.ts';
import type { SelectedScenario } from '../plan/select.ts';
import { outcomeOf } from './outcome.ts';

/** How a test that ran ended: its own last attempt, before status-awareness, and how many it made. */
export interface Ended extends Omit<AttemptRecord, 'attempt'> {
  readonly attempts: number;
  readonly earlierAttempts?: readonly AttemptRecord[];
}

/** What a skipped test still has to show: what it did before it was stopped, if anything. */
export interface SkippedRun {
  readonly attempts?: number;
  readonly durationMs?: number;
  readonly transcript?: readonly TranscriptEntry[];
}

export function scenarioMeta(scenario: SelectedScenario): ScenarioMeta {
  return {
    id: scenario.id,
    file: scenario.file,
    name: scenario.name,
    line: scenario.line,
    capability: scenario.capability,
    // A scenario whose capability is not in the catalog belongs to the domain its folder names.
    domain: scenario.document?.domain?.value ?? scenario.file.split('/').at(-2) ?? '',
    capabilityStatus: capabilityStatusOf(scenario),
  };
}

/** A missing or unreadable status counts as `implemented`: a failure is then a failure. */
function capabilityStatusOf(scenario: SelectedScenario): CapabilityStatus {
  const status = scenario.document?.status?.value;
  return status === 'planned' || status === 'in_progress' ? status : 'implemented';
}

export function endedResult(scenario: SelectedScenario, ended: Ended): PassedResult | FailedResult {
  const meta = scenarioMeta(scenario);
  const { passed, error, earlierAttempts, ...run } = ended;
  const retried = earlierAttempts && earlierAttempts.length > 0 ? { earlierAttempts } : {};
  if (passed)
    return { ...meta, ...run, ...retried, outcome: outcomeOf(meta.capabilityStatus, true, run.attempts), passed };
  return {
    ...meta,
    ...run,
    ...retried,
    outcome: outcomeOf(meta.capabilityStatus, false, run.attempts),
    passed,
    ...(error ? { error } : {}),
  };
}

export function skippedResult(scenario: SelectedScenario, reason: string, run: SkippedRun = {}): SkippedResult {
  return {
    ...scenarioMeta(scenario),
    outcome: 'skipped',
    passed: false,
    attempts: run.attempts ?? 0,
    durationMs: run.durationMs ?? 0,
    transcript: run.transcript ?? [],
    logTails: [],
    skipReason: reason,
  };
}
