/** Turns raw pass/fail into status-aware outcomes, capability summaries and the exit code. */
import type { CapabilityStatus } from '../model/capability.ts';
import type { CapabilityDocument } from '../plan/types.ts';
import { ExitCode } from '../errors.ts';
import {
  OUTCOMES,
  type CapabilitySummary,
  type FailedResult,
  type Outcome,
  type PassedResult,
  type ScenarioResult,
} from '../model/results.ts';

export function outcomeOf(status: CapabilityStatus, passed: true, attempts: number): PassedResult['outcome'];
export function outcomeOf(status: CapabilityStatus, passed: false, attempts: number): FailedResult['outcome'];
export function outcomeOf(status: CapabilityStatus, passed: boolean, attempts: number): Outcome;
export function outcomeOf(status: CapabilityStatus, passed: boolean, attempts: number): Outcome {
  if (status !== 'implemented') return passed ? 'unexpected-pass' : 'expected-failure';
  if (!passed) return 'failed';
  return attempts > 1 ? 'flaky' : 'passed';
}

export function countOutcomes(results: readonly ScenarioResult[]): Record<Outcome, number> {
  const counts = Object.fromEntries(OUTCOMES.map((outcome) => [outcome, 0])) as Record<Outcome, number>;
  for (const result of results) counts[result.outcome] += 1;
  return counts;
}

/** Worst outcome first: one failing scenario makes its capability fail. */
const SEVERITY: readonly Outcome[] = ['failed', 'unexpected-pass', 'flaky', 'expected-failure', 'passed', 'skipped'];

/** A capability not yet implemented is ready to promote only when none of its scenarios still fails. */
function capabilityOutcome(outcomes: ReadonlySet<Outcome>): Outcome {
  if (outcomes.has('unexpected-pass') && outcomes.has('expected-failure')) return 'expected-failure';
  return SEVERITY.find((outcome) => outcomes.has(outcome)) ?? 'skipped';
}

export function summariseCapabilities(
  results: readonly ScenarioResult[],
  documents: readonly CapabilityDocument[],
): CapabilitySummary[] {
  const titles = new Map(documents.map((document) => [document.id?.value ?? '', document.title?.value ?? '']));
  const groups = new Map<string, ScenarioResult[]>();
  for (const result of results) groups.set(result.capability, [...(groups.get(result.capability) ?? []), result]);
  return [...groups.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([id, group]) => {
      const first = group[0];
      const outcomes = new Set(group.map((result) => result.outcome));
      return {
        id,
        title: titles.get(id) ?? '',
        domain: first?.domain ?? '',
        status: first?.capabilityStatus ?? 'implemented',
        scenarios: group.length,
        outcome: capabilityOutcome(outcomes),
        durationMs: group.reduce((total, result) => total + result.durationMs, 0),
      };
    });
}

export function exitCodeFor(results: readonly ScenarioResult[], strict: boolean): number {
  const failing = results.some(
    (result) => result.outcome === 'failed' || (strict && result.outcome === 'unexpected-pass'),
  );
  return failing ? ExitCode.failed : ExitCode.passed;
}
