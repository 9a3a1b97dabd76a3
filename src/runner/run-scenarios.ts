/** The scenario phase of a run: a bounded parallel pool, bail, and skipped results for what never ran. */
import type { SelectedScenario } from '../plan/select.ts';
import type { Reporter } from '../report/reporter.ts';
import { createScenarioContext } from '../scenarios/kit/context.ts';
import type { StackHandles } from '../stack/types.ts';
import { executeScenario } from './execute-scenario.ts';
import type { ScenarioResult } from './results.ts';
import { runPool } from './scheduler.ts';

export interface PoolRunOptions {
  readonly jobs: number;
  readonly timeoutMs: number;
  readonly retries: number;
  readonly bail: boolean;
  readonly reporter: Required<Reporter>;
}

const LOG_TAIL_LINES = 50;

export async function runScenarioPool(
  scenarios: readonly SelectedScenario[],
  stack: StackHandles,
  options: PoolRunOptions,
  signal: AbortSignal,
): Promise<ScenarioResult[]> {
  let bailed = false;
  const results = await runPool(
    scenarios,
    async (scenario) => {
      options.reporter.onScenarioStart(scenario);
      const result = await executeScenario(scenario, {
        timeoutMs: options.timeoutMs,
        retries: options.retries,
        signal,
        createContext: (transcript, scenarioSignal) => createScenarioContext(stack, transcript, scenarioSignal),
        logTails: () => stack.logTails(LOG_TAIL_LINES),
      });
      if (result.outcome === 'failed' && options.bail) bailed = true;
      options.reporter.onScenarioEnd(result);
      return result;
    },
    { jobs: options.jobs, shouldStop: () => bailed || signal.aborted },
  );
  return results.map((result, index) => result ?? skipped(scenarios[index] as SelectedScenario, signal.aborted ? 'interrupted' : 'bail'));
}

function skipped(scenario: SelectedScenario, reason: string): ScenarioResult {
  const status = scenario.document?.status?.value;
  return {
    id: scenario.id,
    file: scenario.file,
    name: scenario.name,
    line: scenario.line,
    capability: scenario.capability,
    domain: scenario.document?.domain?.value ?? '',
    capabilityStatus: status === 'planned' || status === 'in_progress' ? status : 'implemented',
    outcome: 'skipped',
    passed: false,
    attempts: 0,
    durationMs: 0,
    transcript: [],
    logTails: [],
    skipReason: reason,
  };
}
