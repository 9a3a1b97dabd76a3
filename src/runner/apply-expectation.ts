/**
 * The known-failure baseline applied to a result: a listed test that fails
 * is an expected failure; one that passes (or passes on retry) is an
 * unexpected pass whose entry should go. `skip` entries never run at all
 * (see run-scenarios).
 */
import type { ScenarioResult } from '../model/results.ts';
import type { Expectation } from '../plan/expectations.ts';

export function applyExpectation(result: ScenarioResult, expectation: Expectation | undefined): ScenarioResult {
  if (expectation === undefined) return result;
  const listed = {
    expectation: {
      expect: expectation.expect,
      reason: expectation.reason,
      file: expectation.file,
      line: expectation.line,
    },
  };
  if (expectation.expect !== 'fail' || result.outcome === 'skipped') return { ...result, ...listed };
  return result.passed
    ? { ...result, ...listed, outcome: 'unexpected-pass' }
    : { ...result, ...listed, outcome: 'expected-failure' };
}

export function baselineSkipReason(expectation: Expectation): string {
  return `baseline (${expectation.file}:${expectation.line}): ${expectation.reason}`;
}
