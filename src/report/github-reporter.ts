/** GitHub annotations pointing at the scenario file: errors for failures, warnings for flaky and unexpected passes. */
import type { ScenarioResult } from '../model/results.ts';
import { githubEscapeData, githubEscapeProperty } from './github-escape.ts';
import type { Reporter } from './reporter.ts';
import type { Screen } from './screen.ts';

function annotation(level: 'error' | 'warning', result: ScenarioResult, message: string): string {
  const title = githubEscapeProperty(`${result.capability} › ${result.name}`);
  return `::${level} file=${githubEscapeProperty(result.file)},line=${result.line},title=${title}::${githubEscapeData(message)}\n`;
}

export function createGithubReporter(screen: Screen): Reporter {
  return {
    onRunEnd: (report) => {
      for (const result of report.scenarios) {
        if (result.outcome === 'failed') screen.out(annotation('error', result, result.error?.message ?? 'failed'));
        if (result.outcome === 'flaky')
          screen.out(annotation('warning', result, `flaky: passed on attempt ${result.attempts}`));
        if (result.outcome === 'unexpected-pass') {
          screen.out(
            annotation(
              report.strict ? 'error' : 'warning',
              result,
              `passed although ${result.capability} is ${result.capabilityStatus}: promote its status`,
            ),
          );
        }
      }
      const failure = report.stack?.failure;
      if (failure)
        screen.out(
          `::error title=stack failed to start::${githubEscapeData(`${failure.service}: waited for ${failure.waitedFor}\n${failure.logTail.slice(-10).join('\n')}`)}\n`,
        );
    },
  };
}
