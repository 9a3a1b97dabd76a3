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

type Hook = Exclude<keyof Reporter, 'onRunEnd'>;

/**
 * Fans every hook out to several reporters, in the order given. Reporters
 * are isolated from each other: one that throws does not stop the others
 * (they are told in a notice), and once every reporter has had `onRunEnd`
 * the first such error is thrown, so a broken reporter still fails the run.
 */
export function multiplexReporters(reporters: readonly Reporter[]): Required<Reporter> {
  const failures: { readonly hook: keyof Reporter; readonly error: unknown }[] = [];
  const failed = (hook: keyof Reporter, error: unknown, from: Reporter) => {
    failures.push({ hook, error });
    const message = `a reporter failed in ${hook}: ${error instanceof Error ? error.message : String(error)}`;
    for (const other of reporters) if (other !== from) tryCall(() => other.onNotice?.(message));
  };
  const fan =
    <H extends Hook>(hook: H) =>
    (...args: Parameters<Required<Reporter>[H]>) => {
      for (const reporter of reporters) {
        const call = reporter[hook] as ((...values: typeof args) => void) | undefined;
        try {
          call?.apply(reporter, args);
        } catch (error) {
          failed(hook, error, reporter);
        }
      }
    };
  return {
    onRunStart: fan('onRunStart'),
    onStackReady: fan('onStackReady'),
    onScenarioStart: fan('onScenarioStart'),
    onScenarioEnd: fan('onScenarioEnd'),
    onServiceLine: fan('onServiceLine'),
    onNotice: fan('onNotice'),
    onRunEnd: async (report) => {
      for (const reporter of reporters) {
        try {
          await reporter.onRunEnd?.(report);
        } catch (error) {
          failed('onRunEnd', error, reporter);
        }
      }
      if (failures[0]) throw failures[0].error;
    },
  };
}

/** A notice about a failure must not fail in turn. */
function tryCall(call: () => void): void {
  try {
    call();
  } catch {
    // That reporter's own failure is already on record, or will be.
  }
}
