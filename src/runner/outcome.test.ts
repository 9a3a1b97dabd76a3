import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { exitCodeFor, outcomeOf, summariseCapabilities } from './outcome.ts';
import type { Outcome, ScenarioResult } from '../model/results.ts';
import type { CapabilityStatus } from '../model/capability.ts';

function result(capability: string, status: CapabilityStatus, outcome: Outcome): ScenarioResult {
  const base = {
    id: `${capability}-${outcome}`,
    file: 'f.ts',
    name: outcome,
    line: 1,
    capability,
    domain: 'crud',
    capabilityStatus: status,
    attempts: 1,
    durationMs: 5,
    transcript: [],
    logTails: [],
  };
  if (outcome === 'skipped') return { ...base, outcome, passed: false, skipReason: 'not run' };
  if (outcome === 'failed' || outcome === 'expected-failure') return { ...base, outcome, passed: false };
  return { ...base, outcome, passed: true };
}

describe('outcomes', () => {
  test('status decides what a pass or a failure means', () => {
    assert.equal(outcomeOf('implemented', true, 1), 'passed');
    assert.equal(outcomeOf('implemented', true, 2), 'flaky');
    assert.equal(outcomeOf('implemented', false, 2), 'failed');
    assert.equal(outcomeOf('planned', true, 1), 'unexpected-pass');
    assert.equal(outcomeOf('in_progress', false, 1), 'expected-failure');
  });

  test('a capability is ready to promote only when none of its scenarios still fails', () => {
    const summaries = summariseCapabilities(
      [
        result('A-001', 'planned', 'unexpected-pass'),
        result('A-001', 'planned', 'expected-failure'),
        result('B-001', 'in_progress', 'unexpected-pass'),
        result('C-001', 'implemented', 'passed'),
        result('C-001', 'implemented', 'failed'),
      ],
      [],
    );
    assert.deepEqual(
      summaries.map((summary) => [summary.id, summary.outcome, summary.scenarios, summary.durationMs]),
      [
        ['A-001', 'expected-failure', 2, 10],
        ['B-001', 'unexpected-pass', 1, 5],
        ['C-001', 'failed', 2, 10],
      ],
    );
  });

  test('only failures of implemented capabilities fail the run, unless strict', () => {
    const planned = [result('A-001', 'planned', 'unexpected-pass'), result('A-001', 'planned', 'expected-failure')];
    assert.equal(exitCodeFor(planned, false), 0);
    assert.equal(exitCodeFor(planned, true), 1);
    assert.equal(exitCodeFor([result('C-001', 'implemented', 'failed')], false), 1);
  });
});
