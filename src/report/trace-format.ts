/** `santokit-it trace` output: per capability, the reference files its document forgets; or the report as JSON. */
import type { CapabilityTrace, TracedFile, TraceReport } from '../model/trace.ts';
import type { Colors } from './screen.ts';

/** One line as each run of a trace is measured (the baseline has no capability). */
export function formatTraceProgress(capability: CapabilityTrace | undefined): string {
  if (capability === undefined) return 'baseline measured';
  return `${capability.id}: ${capability.gaps.length} gap(s), run exit ${capability.runExitCode}`;
}

export function formatTraceJson(report: TraceReport): string {
  return `${JSON.stringify(report, null, 2)}\n`;
}

const percent = (share: number) => `${Math.round(share * 100)}%`;
const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

function fileLine(label: string, traced: TracedFile, width: number): string {
  const shown = traced.executed.slice(0, 4).join(', ') + (traced.executed.length > 4 ? ', …' : '');
  const figures = `${traced.beyondBaseline}/${traced.functions} functions (${percent(traced.share)})`;
  return `    ${label} ${traced.file.padEnd(width)}  ${figures.padEnd(26)} ${shown}`;
}

function capabilityBlock(capability: CapabilityTrace, colors: Colors, width: number): string {
  const run =
    capability.runExitCode === 0
      ? colors.green('passed')
      : colors.red(`run exited ${capability.runExitCode}: coverage is partial`);
  const counts = `${capability.named.length} named, ${capability.viaDepends.length} via depends, ${capability.plumbing.length} plumbing`;
  const head = `  ${colors.bold(capability.id.padEnd(14))} ${run} · ${capability.processes} processes · ${seconds(capability.durationMs)} · ${counts}`;
  const gaps = capability.gaps.map((traced) => fileLine(colors.red('gap'), traced, width));
  const unexecuted =
    capability.unexecutedRefs.length === 0
      ? []
      : [
          colors.dim(
            `    code_refs the run did not execute beyond the baseline: ${capability.unexecutedRefs.join(', ')}`,
          ),
        ];
  return [head, ...gaps, ...unexecuted].join('\n');
}

export function formatTraceText(report: TraceReport, colors: Colors): string {
  const { settings, baseline } = report;
  const width = Math.max(0, ...report.capabilities.flatMap((c) => c.gaps.map((gap) => gap.file.length)));
  const withGaps = report.capabilities.filter((capability) => capability.gaps.length > 0);
  const gapCount = withGaps.reduce((sum, capability) => sum + capability.gaps.length, 0);
  const failedRuns = report.capabilities.filter((capability) => capability.runExitCode !== 0).length;
  const lines = [
    `Trace of ${report.capabilities.length} capabilities against a baseline of ${baseline.processes} processes and ${baseline.files} reference files (${seconds(baseline.durationMs)}).`,
    colors.dim(
      `A file counts when the run executed ≥ ${settings.minFunctions} of its functions and ≥ ${percent(settings.threshold)} of them beyond the baseline.`,
    ),
    '',
    ...report.capabilities.map((capability) => capabilityBlock(capability, colors, width)),
    '',
    gapCount === 0
      ? colors.green('No gaps: every file the scenarios execute substantially is named by code_refs or is plumbing.')
      : colors.red(
          `${gapCount} gap${gapCount === 1 ? '' : 's'} in ${withGaps.length} capabilit${withGaps.length === 1 ? 'y' : 'ies'}: add the file to the document's code_refs if the capability depends on it, or to the plumbing list if every request touches it.`,
        ),
    ...(failedRuns > 0 ? [colors.red(`${failedRuns} run(s) did not pass; their coverage is partial.`)] : []),
    colors.dim(`${seconds(report.durationMs)} of runs; summaries in ${report.outputDir}`),
  ];
  return `${lines.join('\n')}\n`;
}
