/** The default console reporter: a live line per scenario, then capabilities, failures and counts. */
import type { CapabilitySummary, Outcome, RunReport } from '../model/results.ts';
import { renderFailure, type FailureViewOptions } from './failure-format.ts';
import type { Reporter, RunStartInfo } from './reporter.ts';
import type { Colors, Screen } from './screen.ts';
import { formatIssues } from './validation-format.ts';

export const MARKS: Readonly<Record<Outcome, string>> = {
  passed: '✓',
  failed: '✗',
  flaky: '~',
  'expected-failure': '○',
  'unexpected-pass': '!',
  skipped: '-',
};

export function paint(colors: Colors, outcome: Outcome, text: string): string {
  if (outcome === 'passed') return colors.green(text);
  if (outcome === 'failed') return colors.red(text);
  if (outcome === 'skipped' || outcome === 'expected-failure') return colors.dim(text);
  return colors.yellow(text);
}

export function seconds(ms: number): string {
  return ms < 1000 ? `${ms} ms` : `${(ms / 1000).toFixed(1)} s`;
}

/** How failures print: `verbose` prints everything; `fullReport` names the file report to read. */
export type FailureView = Omit<FailureViewOptions, 'colors'>;

export function createListReporter(screen: Screen, view: FailureView = { verbose: false }): Reporter {
  const { colors } = screen;
  return {
    onRunStart: (info: RunStartInfo) => {
      screen.out(
        `${colors.bold('santokit-it')} ${info.scenarios.length} scenarios of ${info.capabilities} capabilities · stack ${info.stack} · ${info.jobs} jobs\n`,
      );
    },
    onStackReady: (stack) => {
      screen.out(
        colors.dim(
          `stack ready in ${seconds(stack.startMs ?? 0)} (hub ${stack.hubUrl ?? '-'}, bridge ${stack.bridgeUrl ?? '-'})\n`,
        ),
      );
    },
    onScenarioEnd: (result) => {
      const retry = result.attempts > 1 ? colors.dim(` [${result.attempts} attempts]`) : '';
      screen.out(
        `  ${paint(colors, result.outcome, MARKS[result.outcome])} ${colors.cyan(result.capability.padEnd(12))} ${result.name} ${colors.dim(`(${seconds(result.durationMs)})`)}${retry}\n`,
      );
    },
    onServiceLine: (service, line) => screen.err(colors.dim(`[${service}] ${line}\n`)),
    onNotice: (message) => screen.err(colors.dim(`${message}\n`)),
    onRunEnd: (report) => screen.out(renderSummary(report, colors, view)),
  };
}

export function renderSummary(report: RunReport, colors: Colors, view: FailureView = { verbose: false }): string {
  const parts: string[] = [];
  if (report.validation && !report.validation.ok) parts.push(formatIssues(report.validation, colors));
  if (report.capabilities.length > 0) parts.push(renderCapabilities(report.capabilities, colors));
  const failures = report.scenarios.filter((result) => result.outcome === 'failed');
  if (failures.length > 0)
    parts.push(
      colors.bold(colors.red('Failures')),
      ...failures.map((result, index) => renderFailure(result, index + 1, { ...view, colors })),
    );
  const promote = report.capabilities.filter(
    (capability) => capability.outcome === 'unexpected-pass' && capability.status !== 'implemented',
  );
  if (promote.length > 0) {
    const ids = promote.map((capability) => capability.id).join(', ');
    parts.push(
      colors.yellow(
        `Unexpected passes: ${ids} passed although not implemented — set their status to implemented${report.strict ? ' (an error under --strict)' : ''}.`,
      ),
    );
  }
  const listed = report.scenarios.filter((result) => result.outcome === 'unexpected-pass' && result.expectation);
  if (listed.length > 0) {
    const entries = listed.map(
      (result) => `  ${result.expectation?.file ?? ''}:${result.expectation?.line ?? 0}  ${result.id}`,
    );
    parts.push(
      colors.yellow(
        [
          `Unexpected passes: ${listed.length} test(s) the baseline expects to fail passed — remove their entries${report.strict ? ' (an error under --strict)' : ''}:`,
          ...entries,
        ].join('\n'),
      ),
    );
  }
  if (report.stack?.failure) parts.push(renderStackFailure(report, colors));
  if (report.error)
    parts.push(colors.red(`error: ${report.error.message}`) + (report.error.hint ? `\n${report.error.hint}` : ''));
  parts.push(renderCounts(report, colors));
  return `\n${parts.join('\n\n')}\n`;
}

function renderCapabilities(capabilities: readonly CapabilitySummary[], colors: Colors): string {
  const rows = capabilities.map(
    (capability) =>
      `  ${paint(colors, capability.outcome, MARKS[capability.outcome])} ${capability.id.padEnd(14)} ${capability.status.padEnd(12)} ${String(capability.scenarios).padStart(3)} scenarios  ${paint(colors, capability.outcome, capability.outcome.padEnd(16))} ${colors.dim(capability.title)}`,
  );
  return [colors.bold('Capabilities'), ...rows].join('\n');
}

function renderStackFailure(report: RunReport, colors: Colors): string {
  const failure = report.stack?.failure;
  if (!failure) return '';
  const exit = failure.exitCode === undefined ? '' : ` (exit code ${failure.exitCode ?? 'none: still running'})`;
  return [
    colors.red(colors.bold(`stack failed to start: ${failure.service}${exit}`)),
    `   waited for: ${failure.waitedFor}`,
    colors.bold(`   last ${failure.logTail.length} log lines of ${failure.service}:`),
    colors.dim(indentBlock(failure.logTail.join('\n') || '(no output)', '     ')),
  ].join('\n');
}

function renderCounts(report: RunReport, colors: Colors): string {
  const c = report.counts;
  const detail = `${c.flaky} flaky, ${c['expected-failure']} expected failures, ${c['unexpected-pass']} unexpected passes · ${seconds(report.durationMs)} · ${report.status}`;
  const failed = c.failed + (report.strict ? c['unexpected-pass'] : 0);
  const closing = `${c.passed + c.flaky} passed, ${failed} failed, ${c.skipped} skipped`;
  return `${colors.dim(detail)}\n${failed > 0 ? colors.red(closing) : colors.green(closing)}`;
}

function indentBlock(text: string, prefix = '   '): string {
  return text
    .split('\n')
    .map((line) => `${prefix}${line}`)
    .join('\n');
}
