/**
 * The GitHub job summary: a markdown capability table appended to the file
 * `$GITHUB_STEP_SUMMARY` names, from a run (with the github reporter) or from
 * `merge-reports`. Text from scenarios (errors, names) is escaped: it may hold
 * anything, and the summary renders HTML.
 */
import { appendFile } from 'node:fs/promises';
import type { Outcome, RunReport } from '../model/results.ts';
import type { Reporter } from './reporter.ts';

const ICONS: Readonly<Record<Outcome, string>> = {
  passed: '✅',
  failed: '❌',
  flaky: '⚠️',
  'expected-failure': '➖',
  'unexpected-pass': '⬆️',
  skipped: '⏭️',
};
const MAX_FAILURES = 30;

function cell(text: string): string {
  return text
    .replaceAll('&', '&amp;')
    .replaceAll('<', '&lt;')
    .replaceAll('>', '&gt;')
    .replaceAll('|', '\\|')
    .replace(/\s*\n\s*/g, ' ')
    .trim();
}

function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(1)} s`;
}

function heading(report: RunReport): string[] {
  const icon = report.status === 'passed' ? '✅' : '❌';
  const capabilities = report.capabilities.length;
  const lines = [
    `## ${icon} santokit-it: ${report.status} — ${report.scenarios.length} scenarios of ${capabilities} capabilities in ${seconds(report.durationMs)}`,
    '',
  ];
  const merged = report.merged;
  if (merged) {
    const shards = merged.sources
      .map((source) => (source.shard ? `${source.shard.index}/${source.shard.total}` : source.path))
      .join(', ');
    lines.push(
      `Merged from ${merged.sources.length} reports (${shards})${merged.missingShards.length ? `; **missing shards: ${merged.missingShards.join(', ')}**` : ''}.`,
      '',
    );
  } else if (report.shard) {
    lines.push(`Shard ${report.shard.index}/${report.shard.total}.`, '');
  }
  if (report.error)
    lines.push(`**${cell(report.error.message)}**${report.error.hint ? ` — ${cell(report.error.hint)}` : ''}`, '');
  return lines;
}

function countsTable(report: RunReport): string[] {
  const outcomes = Object.keys(ICONS) as Outcome[];
  return [
    `| ${outcomes.map((outcome) => `${ICONS[outcome]} ${outcome}`).join(' | ')} |`,
    `|${outcomes.map(() => '---:').join('|')}|`,
    `| ${outcomes.map((outcome) => report.counts[outcome]).join(' | ')} |`,
    '',
  ];
}

function capabilityTable(report: RunReport): string[] {
  if (report.capabilities.length === 0) return [];
  return [
    '| | Capability | Title | Status | Scenarios | Outcome | Time |',
    '|---|---|---|---|---:|---|---:|',
    ...report.capabilities.map(
      (capability) =>
        `| ${ICONS[capability.outcome]} | ${cell(capability.id)} | ${cell(capability.title)} | ${capability.status} | ${capability.scenarios} | ${capability.outcome} | ${seconds(capability.durationMs)} |`,
    ),
    '',
  ];
}

function failureList(report: RunReport): string[] {
  const failures = report.scenarios.filter(
    (result) => result.outcome === 'failed' || (report.strict && result.outcome === 'unexpected-pass'),
  );
  if (failures.length === 0) return [];
  const shown = failures.slice(0, MAX_FAILURES).map((result) => {
    const message =
      result.error?.message.split('\n')[0] ?? `passed although ${result.capability} is ${result.capabilityStatus}`;
    return `- ${ICONS[result.outcome]} **${cell(result.capability)}** › ${cell(result.name)} (\`${cell(result.file)}:${result.line}\`): ${cell(message)}`;
  });
  const more =
    failures.length > MAX_FAILURES
      ? [`- … and ${failures.length - MAX_FAILURES} more (see the JUnit or HTML report)`]
      : [];
  return ['### Failures', '', ...shown, ...more, ''];
}

export function renderStepSummary(report: RunReport): string {
  return [...heading(report), ...countsTable(report), ...capabilityTable(report), ...failureList(report)].join('\n');
}

/** Appends the summary at the end of the run; `file` is `$GITHUB_STEP_SUMMARY`. */
export function createStepSummaryReporter(file: string): Reporter {
  return { onRunEnd: (report) => appendFile(file, `${renderStepSummary(report)}\n`) };
}
