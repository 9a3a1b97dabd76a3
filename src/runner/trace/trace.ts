/**
 * `santokit-it trace`: the baseline, then each capability's scenarios on a
 * stack of their own, with V8 coverage of every reference process; then, per
 * capability, the reference files executed substantially beyond the baseline
 * that its `code_refs` do not name. Each run's raw coverage is summarised and
 * deleted as soon as it is read (a run writes tens of megabytes).
 */
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { ExitCode, SantokitItError } from '../../errors.ts';
import type { CapabilityTrace, TraceReport, TraceSettings } from '../../model/trace.ts';
import { attribute } from './gaps.ts';
import { plumbingFor, type PlumbingEntry } from './plumbing.ts';
import { loadRunSummary, saveRunSummary, type RunSummary } from './trace-store.ts';
import {
  traceBaseline,
  traceCapabilityRun,
  type CapabilityRunSettings,
  type TracedRun,
  type TracedRunContext,
} from './traced-runs.ts';
import { readCoverageDir, type LocatorCache } from './v8-coverage.ts';

export interface TracedCapability {
  readonly id: string;
  readonly codeRefs: readonly string[];
  /** `code_refs` of the capabilities it depends on, transitively. */
  readonly dependencyRefs: readonly string[];
}

export interface TraceOptions {
  readonly capabilities: readonly TracedCapability[];
  readonly plumbing: readonly PlumbingEntry[];
  readonly settings: TraceSettings;
  readonly run: CapabilityRunSettings;
  /** Keep each run's raw V8 coverage next to its summary. */
  readonly keepCoverage?: boolean;
  /** Called as each run is measured, with its place in the trace. */
  readonly onProgress?: (done: number, total: number, capability: CapabilityTrace | undefined) => void;
}

export async function traceCatalog(options: TraceOptions, context: TracedRunContext): Promise<TraceReport> {
  const begin = performance.now();
  const cache: LocatorCache = new Map();
  const measure = async (run: TracedRun, folder: string): Promise<RunSummary> => {
    const coverage = await readCoverageDir(run.coverageDir, context.packageRoot, cache);
    const summary = { exitCode: run.exitCode, durationMs: run.durationMs, coverage };
    await saveRunSummary(folder, summary);
    if (!options.keepCoverage) await rm(run.coverageDir, { recursive: true, force: true });
    return summary;
  };
  const total = options.capabilities.length + 1;
  const baseline = await measure(await traceBaseline(context), join(context.outputDir, 'baseline'));
  if (baseline.coverage.processes === 0)
    throw new SantokitItError(
      'trace: the baseline stack wrote no V8 coverage of the reference services',
      ExitCode.stackFailed,
      `Its log is in ${join(context.outputDir, 'baseline')}; the services must exit on SIGTERM for Node to write coverage.`,
    );
  options.onProgress?.(1, total, undefined);
  const capabilities: CapabilityTrace[] = [];
  for (const capability of options.capabilities) {
    const run = await traceCapabilityRun(capability.id, options.run, context);
    const summary = await measure(run, join(context.outputDir, capability.id));
    const traced = traceOne(capability, summary, baseline, options);
    capabilities.push(traced);
    options.onProgress?.(capabilities.length + 1, total, traced);
  }
  return report(baseline, capabilities, options, context.outputDir, Math.round(performance.now() - begin));
}

/** Measures again what an earlier trace left in `outputDir`, without running anything. */
export async function retrace(
  outputDir: string,
  options: Pick<TraceOptions, 'capabilities' | 'plumbing' | 'settings'>,
): Promise<TraceReport | undefined> {
  const baseline = await loadRunSummary(join(outputDir, 'baseline'));
  if (baseline === undefined) return undefined;
  const capabilities: CapabilityTrace[] = [];
  let durationMs = baseline.durationMs;
  for (const capability of options.capabilities) {
    const summary = await loadRunSummary(join(outputDir, capability.id));
    if (summary === undefined) continue;
    durationMs += summary.durationMs;
    capabilities.push(traceOne(capability, summary, baseline, options));
  }
  return report(baseline, capabilities, options, outputDir, durationMs);
}

function traceOne(
  capability: TracedCapability,
  summary: RunSummary,
  baseline: RunSummary,
  options: Pick<TraceOptions, 'plumbing' | 'settings'>,
): CapabilityTrace {
  return {
    id: capability.id,
    runExitCode: summary.exitCode,
    durationMs: summary.durationMs,
    processes: summary.coverage.processes,
    ...attribute({
      codeRefs: capability.codeRefs,
      dependencyRefs: capability.dependencyRefs,
      coverage: summary.coverage,
      baseline: baseline.coverage,
      plumbing: plumbingFor(options.plumbing, capability.id),
      settings: options.settings,
    }),
  };
}

function report(
  baseline: RunSummary,
  capabilities: readonly CapabilityTrace[],
  options: Pick<TraceOptions, 'settings'>,
  outputDir: string,
  durationMs: number,
): TraceReport {
  return {
    settings: options.settings,
    baseline: {
      processes: baseline.coverage.processes,
      files: baseline.coverage.files.size,
      durationMs: baseline.durationMs,
    },
    capabilities,
    durationMs,
    outputDir,
  };
}
