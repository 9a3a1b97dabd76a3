import { ExitCode, SantokitItError, UsageError } from '../../errors.ts';
import type { TraceReport } from '../../model/trace.ts';
import { documentsById, type Catalog } from '../../plan/catalog.ts';
import { loadCatalog } from '../../plan/load-catalog.ts';
import { validateCatalog } from '../../plan/validate.ts';
import { createRedactor } from '../../redact/redactor.ts';
import type { Screen } from '../../report/screen.ts';
import { formatTraceJson, formatTraceProgress, formatTraceText } from '../../report/trace-format.ts';
import { formatIssues } from '../../report/validation-format.ts';
import { runTasks, type Task } from '../../runner/tasks.ts';
import { PLUMBING_FILE, readPlumbing, type PlumbingEntry } from '../../runner/trace/plumbing.ts';
import { retrace, traceCatalog, type TracedCapability, type TraceOptions } from '../../runner/trace/trace.ts';
import { PACKAGE_ROOT } from '../../package-root.ts';
import { didYouMean } from '../../util/suggest.ts';
import type { CliIo } from '../io.ts';
import { resolveFrom } from '../options.ts';

export interface TraceFlags {
  readonly root: string;
  readonly capability?: string[];
  readonly domain?: string[];
  readonly jobs: number;
  readonly timeout: number;
  readonly threshold: number;
  readonly minFunctions: number;
  readonly plumbing?: string;
  readonly outputDir: string;
  readonly from?: string;
  readonly json?: boolean;
  readonly keepCoverage?: boolean;
  readonly validate: boolean;
  readonly color?: boolean;
}

/** Exit 0 without gaps, 1 with a gap or a run that did not pass, 2 on bad input, 3 when the baseline stack fails. */
export async function traceCommand(flags: TraceFlags, io: CliIo): Promise<number> {
  const screen = io.screen(flags.color);
  const root = resolveFrom(io.cwd, flags.root);
  const catalog = await loadCatalog(root);
  const validation = flags.validate ? validateCatalog(catalog, { relaxedStatus: false }) : undefined;
  if (validation && !validation.ok) {
    screen.err(`${formatIssues(validation, screen.colors)}\n`);
    return ExitCode.invalidInput;
  }
  const options = {
    capabilities: chosenCapabilities(catalog, flags),
    plumbing: knownIdsOnly(
      readPlumbing(root, flags.plumbing ?? PLUMBING_FILE, flags.plumbing !== undefined),
      catalog,
      flags.plumbing ?? PLUMBING_FILE,
    ),
    settings: { threshold: flags.threshold, minFunctions: flags.minFunctions },
  };
  const report = flags.from
    ? await retraceOrFail(resolveFrom(io.cwd, flags.from), options)
    : await runTrace(root, { ...options, run: { jobs: flags.jobs, timeoutMs: flags.timeout } }, flags, io, screen);
  screen.out(flags.json ? formatTraceJson(report) : formatTraceText(report, screen.colors));
  const clean = report.capabilities.every((capability) => capability.gaps.length === 0 && capability.runExitCode === 0);
  return clean ? ExitCode.passed : ExitCode.failed;
}

/** An `only` list naming a capability the catalog does not have is a typo to fix, not a silent no-op. */
function knownIdsOnly(entries: PlumbingEntry[], catalog: Catalog, file: string): PlumbingEntry[] {
  const ids = catalog.documents.flatMap((document) => (document.id ? [document.id.value] : []));
  for (const entry of entries)
    for (const id of entry.only ?? [])
      if (!ids.includes(id))
        throw new UsageError(
          `TRACE_PLUMBING_INVALID: ${file}: ${entry.path} is limited to '${id}', which no capability document has`,
          didYouMean(id, ids) || 'Use the ids of plan/capabilities.',
        );
  return entries;
}

/** Capabilities with scenarios, narrowed by --capability and --domain. */
function chosenCapabilities(catalog: Catalog, flags: TraceFlags): TracedCapability[] {
  const documents = catalog.documents.filter((document) => document.id !== undefined && document.testRefs.length > 0);
  const ids = documents.map((document) => document.id?.value ?? '');
  for (const id of flags.capability ?? [])
    if (!ids.includes(id))
      throw new UsageError(
        `trace: no capability '${id}' with scenarios`,
        didYouMean(id, ids) || 'See santokit-it list.',
      );
  return documents
    .filter((document) => !flags.capability || flags.capability.includes(document.id?.value ?? ''))
    .filter((document) => !flags.domain || flags.domain.includes(document.domain?.value ?? ''))
    .map((document) => ({
      id: document.id?.value ?? '',
      codeRefs: document.codeRefs.map((ref) => ref.value),
      dependencyRefs: dependencyRefs(catalog, document.id?.value ?? ''),
    }))
    .sort((a, b) => a.id.localeCompare(b.id));
}

/** The code_refs of every capability `id` depends on, transitively. */
function dependencyRefs(catalog: Catalog, id: string): string[] {
  const byId = documentsById(catalog);
  const seen = new Set<string>();
  const visit = (current: string) => {
    for (const dependency of byId.get(current)?.depends ?? []) {
      if (seen.has(dependency.value)) continue;
      seen.add(dependency.value);
      visit(dependency.value);
    }
  };
  visit(id);
  seen.delete(id);
  return [...seen].flatMap((dependency) => byId.get(dependency)?.codeRefs.map((ref) => ref.value) ?? []);
}

async function retraceOrFail(dir: string, options: Parameters<typeof retrace>[1]): Promise<TraceReport> {
  const report = await retrace(dir, options);
  if (report === undefined)
    throw new UsageError(
      `trace --from: ${dir} holds no trace`,
      'Give the --output-dir of an earlier santokit-it trace.',
    );
  return report;
}

async function runTrace(
  root: string,
  options: TraceOptions,
  flags: TraceFlags,
  io: CliIo,
  screen: Screen,
): Promise<TraceReport> {
  const state: { report?: TraceReport } = {};
  const onProgress: TraceOptions['onProgress'] = (done, total, capability) =>
    screen.err(`[trace ${done}/${total}] ${formatTraceProgress(capability)}\n`);
  const task: Task<typeof state> = {
    name: 'trace',
    run: async (current, context) => {
      current.report = await traceCatalog(
        { ...options, ...(flags.keepCoverage ? { keepCoverage: true } : {}), onProgress },
        {
          packageRoot: PACKAGE_ROOT,
          root,
          outputDir: resolveFrom(io.cwd, flags.outputDir),
          teardowns: context,
          signal: context.signal,
          redactor: createRedactor(),
        },
      );
    },
  };
  const result = await runTasks([task], state, io.signal);
  for (const failure of result.teardownFailures) screen.err(`teardown '${failure.name}' failed: ${failure.message}\n`);
  const error = result.failed?.error;
  if (error !== undefined) throw error instanceof Error ? error : new Error(String(error));
  if (state.report === undefined) throw new SantokitItError('trace: no report', ExitCode.failed);
  return state.report;
}
