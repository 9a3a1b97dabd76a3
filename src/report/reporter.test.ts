import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { RunReport, ScenarioResult } from '../model/results.ts';
import { multiplexReporters, type Reporter } from './reporter.ts';

function recorder(log: string[], name: string): Reporter {
  return {
    onScenarioEnd: (result) => void log.push(`${name} end ${result.id}`),
    onNotice: (message) => void log.push(`${name} notice ${message}`),
    onRunEnd: () => void log.push(`${name} run end`),
  };
}

const result = { id: 's1' } as ScenarioResult;
const report = {} as RunReport;

describe('multiplexReporters', () => {
  it('keeps feeding the other reporters when one throws, tells them, and fails at the end', async () => {
    const log: string[] = [];
    const broken: Reporter = {
      onScenarioEnd: () => {
        throw new Error('disk full');
      },
      onRunEnd: () => Promise.reject(new Error('cannot write results.json')),
    };
    const reporter = multiplexReporters([recorder(log, 'a'), broken, recorder(log, 'b')]);
    reporter.onScenarioEnd(result);
    await assert.rejects(async () => reporter.onRunEnd(report), /disk full/);
    assert.deepEqual(log, [
      'a end s1',
      'a notice a reporter failed in onScenarioEnd: disk full',
      'b notice a reporter failed in onScenarioEnd: disk full',
      'b end s1',
      'a run end',
      'a notice a reporter failed in onRunEnd: cannot write results.json',
      'b notice a reporter failed in onRunEnd: cannot write results.json',
      'b run end',
    ]);
  });

  it('resolves when every reporter did its part', async () => {
    const log: string[] = [];
    const reporter = multiplexReporters([recorder(log, 'a'), recorder(log, 'b')]);
    reporter.onNotice('hello');
    await reporter.onRunEnd(report);
    assert.deepEqual(log, ['a notice hello', 'b notice hello', 'a run end', 'b run end']);
  });
});
