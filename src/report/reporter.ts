/** The reporter hooks. Only reporters write to the terminal. */
import type { SelectedScenario } from '../plan/select.ts';
import type { RunReport, ScenarioResult, StackReport } from '../model/results.ts';
import type { StackKind } from '../model/stack.ts';

export interface RunStartInfo {
  readonly root: string;
  readonly scenarios: readonly SelectedScenario[];
  readonly capabilities: number;
  readonly jobs: number;
  readonly stack: StackKind;
}

export interface Reporter {
  /** Once, after selection and before the stack starts. */
  onRunStart?(info: RunStartInfo): void;
  /** Once the stack answered its readiness probes. */
  onStackReady?(stack: StackReport): void;
  /** A scenario is about to run (scenarios run concurrently: starts interleave). */
  onScenarioStart?(scenario: SelectedScenario): void;
  /** A scenario finished, after its retries; results arrive in completion order. */
  onScenarioEnd?(result: ScenarioResult): void;
  /** A line of service output, only with --verbose. */
  onServiceLine?(service: string, line: string): void;
  /** Something worth a line that is not a result (e.g. leftovers of a killed run cleaned up). */
  onNotice?(message: string): void;
  /** Once, after teardown, on every path (including stack failure and interrupt). */
  onRunEnd?(report: RunReport): void | Promise<void>;
}

/** Fans every hook out to several reporters, in the order given. */
export function multiplexReporters(reporters: readonly Reporter[]): Required<Reporter> {
  return {
    onRunStart: (info) => reporters.forEach((reporter) => reporter.onRunStart?.(info)),
    onStackReady: (stack) => reporters.forEach((reporter) => reporter.onStackReady?.(stack)),
    onScenarioStart: (scenario) => reporters.forEach((reporter) => reporter.onScenarioStart?.(scenario)),
    onScenarioEnd: (result) => reporters.forEach((reporter) => reporter.onScenarioEnd?.(result)),
    onServiceLine: (service, line) => reporters.forEach((reporter) => reporter.onServiceLine?.(service, line)),
    onNotice: (message) => reporters.forEach((reporter) => reporter.onNotice?.(message)),
    onRunEnd: async (report) => {
      for (const reporter of reporters) await reporter.onRunEnd?.(report);
    },
  };
}
