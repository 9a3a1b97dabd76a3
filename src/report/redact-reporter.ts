/**
 * The one gate between a run and its reporters: every hook's payload passes
 * the run's redactor before any reporter sees it, so no reporter (console,
 * JSON, JUnit, annotations, HTML, one added later) can print a secret.
 */
import type { Redactor } from '../redact/redactor.ts';
import type { Reporter } from './reporter.ts';

export function redactReporter(reporter: Required<Reporter>, redactor: Redactor): Required<Reporter> {
  return {
    onRunStart: (info) => reporter.onRunStart(info),
    onStackReady: (stack) => reporter.onStackReady(redactor.value(stack)),
    onScenarioStart: (scenario) => reporter.onScenarioStart(scenario),
    onScenarioEnd: (result) => reporter.onScenarioEnd(redactor.value(result)),
    onServiceLine: (service, line) => reporter.onServiceLine(service, redactor.text(line)),
    onNotice: (message) => reporter.onNotice(redactor.text(message)),
    onRunEnd: (report) => reporter.onRunEnd(redactor.value(report)),
  };
}
