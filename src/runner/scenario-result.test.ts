import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { CapabilityDocument } from '../plan/types.ts';
import type { SelectedScenario } from '../plan/select.ts';
import { endedResult, scenarioMeta, skippedResult } from './scenario-result.ts';

function selected(status?: string, domain?: string): SelectedScenario {
  const document =
    status === undefined
      ? undefined
      : ({
          status: { value: status },
          ...(domain ? { domain: { value: domain } } : {}),
        } as unknown as CapabilityDocument);
  return {
    id: 'src/scenarios/crud/c.ts::n',
    file: 'src/scenarios/crud/c.ts',
    name: 'n',
    line: 3,
    capability: 'CRUD-001',
    document,
  };
}

const ran = { attempts: 1, durationMs: 12, transcript: [], logTails: [] };

describe('scenarioMeta', () => {
  it('takes domain and status from the document, else the folder and `implemented`', () => {
    assert.deepEqual(scenarioMeta(selected('planned', 'storage')), {
      id: 'src/scenarios/crud/c.ts::n',
      file: 'src/scenarios/crud/c.ts',
      name: 'n',
      line: 3,
      capability: 'CRUD-001',
      domain: 'storage',
      capabilityStatus: 'planned',
    });
    const missing = scenarioMeta(selected());
    assert.equal(missing.domain, 'crud');
    assert.equal(missing.capabilityStatus, 'implemented');
    assert.equal(scenarioMeta(selected('nonsense')).capabilityStatus, 'implemented');
  });
});

describe('endedResult / skippedResult', () => {
  it('turns a pass or a failure into the outcome its capability status gives', () => {
    assert.equal(endedResult(selected('implemented'), { ...ran, passed: true }).outcome, 'passed');
    assert.equal(endedResult(selected('implemented'), { ...ran, passed: true, attempts: 2 }).outcome, 'flaky');
    assert.equal(endedResult(selected('in_progress'), { ...ran, passed: true }).outcome, 'unexpected-pass');
    const failed = endedResult(selected('implemented'), { ...ran, passed: false, error: { message: 'boom' } });
    assert.deepEqual([failed.outcome, failed.passed, failed.error?.message], ['failed', false, 'boom']);
    assert.equal(endedResult(selected('planned'), { ...ran, passed: false }).outcome, 'expected-failure');
  });

  it('keeps earlier attempts only when there were some', () => {
    assert.equal('earlierAttempts' in endedResult(selected(), { ...ran, passed: true, earlierAttempts: [] }), false);
    const record = { attempt: 1, passed: false, durationMs: 3, transcript: [], logTails: [] };
    assert.deepEqual(
      endedResult(selected(), { ...ran, passed: true, attempts: 2, earlierAttempts: [record] }).earlierAttempts,
      [record],
    );
  });

  it('gives a skipped result its reason and what it did before it stopped', () => {
    const skipped = skippedResult(selected('implemented'), 'bail');
    assert.deepEqual(
      [skipped.outcome, skipped.skipReason, skipped.attempts, skipped.domain],
      ['skipped', 'bail', 0, 'crud'],
    );
    const note = { kind: 'note', at: 1, text: 'started' } as const;
    assert.deepEqual(
      skippedResult(selected(), 'interrupted', { attempts: 1, durationMs: 40, transcript: [note] }).transcript,
      [note],
    );
  });
});
