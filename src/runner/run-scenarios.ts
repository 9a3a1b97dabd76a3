/** The scenario phase of a run: a bounded parallel pool, bail, and skipped results for what never ran. */
import type { Reporter } from '../report/reporter.ts';
import { createScenarioContext } from '../scenarios/kit/context.ts';
import type { StackHandles } from '../stack/types.ts';
import { executeScenario, type ExecuteOptions } from './execute-scenario.ts';
import { isPytestTest, type RunnableTest } from './import-scenarios.ts';
import { applyExpectation, baselineSkipReason } from './apply-expectation.ts';
import { expectationFor, type ExpectationSet } from '../plan/expectations.ts';
import { executePytest } from './pytest/execute-pytest.ts';
import type { PytestSession } from './pytest/pytest-session.ts';
import type { ScenarioResult } from '../model/results.ts';
import { collectScenarioLogs } from './scenario-logs.ts';
import { skippedResult } from './scenario-result.ts';
import { runPool } from './scheduler.ts';
import { longestFirst, readTimings } from './timings.ts';

export interface PoolRunOptions {
  /** Repository root, for scenario fixtures. */
  readonly root: string;
  readonly jobs: number;
  readonly timeoutMs: number;
  readonly retries: number;
  readonly bail: boolean;
  readonly reporter: Required<Reporter>;
  /** Present when pytest tests are selected. */
  readonly pytest?: PytestSession;
  readonly expectations?: ExpectationSet;
}

const LOG_TAIL_LINES = 50;

/**
 * Hands each result to `collect` with its selection index as the scenario
 * ends, so an interrupted run still reports what finished; the run makes
 * skipped results for the rest (see `skippedResult`).
 */
export async function runScenarioPool(
  scenarios: readonly RunnableTest[],
  stack: StackHandles,
  options: PoolRunOptions,
  signal: AbortSignal,
  collect: (index: number, result: ScenarioResult) => void,
): Promise<{ bailed: boolean }> {
  let bailed = false;
  const order =
    options.jobs > 1
      ? longestFirst(
          scenarios.map((scenario) => scenario.id),
          readTimings(options.root),
        )
      : scenarios.map((_, index) => index);
  await runPool(
    order,
    async (index) => {
      const scenario = scenarios[index] as RunnableTest;
      options.reporter.onScenarioStart(scenario);
      const result = await runTest(scenario, stack, options, signal);
      if (result.outcome === 'failed' && options.bail) bailed = true;
      // A scenario still running when the run is interrupted is reported skipped, not failed.
      if (signal.aborted) return;
      collect(index, result);
      options.reporter.onScenarioEnd(result);
    },
    { jobs: options.jobs, shouldStop: () => bailed || signal.aborted },
  );
  return { bailed };
}

/** One test of either kind, with the known-failure baseline applied (a `skip` entry never runs). */
async function runTest(
  test: RunnableTest,
  stack: StackHandles,
  options: PoolRunOptions,
  signal: AbortSignal,
): Promise<ScenarioResult> {
  const expectation = expectationFor(options.expectations, test);
  if (expectation?.expect === 'skip')
    return applyExpectation(skippedResult(test, baselineSkipReason(expectation)), expectation);
  const common = { timeoutMs: options.timeoutMs, retries: options.retries, signal, logs: logsOf(stack) };
  if (isPytestTest(test)) {
    if (!options.pytest) throw new Error(`no pytest session for ${test.id}`);
    return applyExpectation(await executePytest(test, { ...common, session: options.pytest }), expectation);
  }
  const createContext: ExecuteOptions['createContext'] = (transcript, scenarioSignal) =>
    createScenarioContext(stack, transcript, scenarioSignal, { root: options.root });
  return applyExpectation(await executeScenario(test, { ...common, createContext }), expectation);
}

/** A failed attempt's own log lines when the stack keeps timed output, else the tail of each service's log. */
function logsOf(stack: StackHandles): ExecuteOptions['logs'] {
  const linesSince = stack.logLinesSince?.bind(stack);
  if (!linesSince) return async () => stack.logTails(LOG_TAIL_LINES);
  return (transcript, from, to) => collectScenarioLogs(linesSince, transcript, from, to);
}

export { skippedResult };
