/** One character per scenario, then the same summary as the list reporter. */
import { MARKS, paint, renderSummary, type FailureView } from './list-reporter.ts';
import type { Reporter } from './reporter.ts';
import type { Screen } from './screen.ts';

export function createDotReporter(screen: Screen, view: FailureView = { verbose: false }): Reporter {
  const dots: Record<string, string> = { ...MARKS, passed: '.', failed: 'F' };
  return {
    onScenarioEnd: (result) => screen.out(paint(screen.colors, result.outcome, dots[result.outcome] ?? '?')),
    onNotice: (message) => screen.err(screen.colors.dim(`${message}\n`)),
    onRunEnd: (report) => screen.out(`\n${renderSummary(report, screen.colors, view)}`),
  };
}
