/**
 * `santokit-it run`: load catalog → validate → select → start stack → run
 * scenarios, as named tasks; teardown and the final report happen on every path.
 */
import { performance } from 'node:perf_hooks';
import { InterruptedError, SantokitItError, StackStartError, UsageError, ExitCode } from '../errors.ts';
import { blockingIssues } from '../plan/blocking.ts';
import type { Catalog } from '../plan/catalog.ts';
import { loadCatalog } from '../plan/load-catalog.ts';
import { selectScenarios, type Selection, type SelectionFilters } from '../plan/select.ts';
import { validateCatalog, type ValidationReport } from '../plan/validate.ts';
import type { Reporter } from '../report/reporter.ts';
import type { StackHandles, StackKind, StackProvider } from '../stack/types.ts';
import { countOutcomes, exitCodeFor, summariseCapabilities } from './outcome.ts';
import { REPORT_SCHEMA_VERSION, type RunReport, type RunStatus, type ScenarioResult, type StackReport } from '../model/results.ts';
import { importSelected, isPytestTest, type RunnableTest } from './import-scenarios.ts';
import { startPytestSession } from './pytest/pytest-session.ts';
import { runScenarioPool, skippedResult } from './run-scenarios.ts';
import { runTasks, type Task, type TaskContext, type TaskRunResult } from './tasks.ts';
import { writeTimings } from './timings.ts';
import { writeLastFailed } from './last-failed.ts';
import { catalogHash } from '../plan/catalog-hash.ts';

export interface RunOptions {
  readonly root: string;
  readonly cwd: string;
  readonly filters: SelectionFilters;
  readonly validate: boolean;
  readonly relaxedStatus: boolean;
  readonly jobs: number;
  /** Absolute path of the known-failure baseline (`--expectations`); the config's otherwise. */
  readonly expectations?: string;
  readonly timeoutMs: number;
  readonly retries: number;
  readonly bail: boolean;
  readonly strict: boolean;
  readonly passWithNoScenarios: boolean;
  readonly outputDir: string;
  readonly stackKind: StackKind;
  readonly createStack: () => Promise<StackProvider>;
  /** Called with the ready stack when --keep-stack is given; resolves when the user is done with it. */
  readonly holdStack?: (stack: StackHandles) => Promise<void>;
  readonly verbose: boolean;
  readonly reporter: Required<Reporter>;
  readonly signal: AbortSignal;
}

interface RunState {
  catalog?: Catalog;
  validation?: ValidationReport;
  selection?: Selection;
  /** The selected scenarios' modules, loading while the stack starts. */
  importing?: Promise<readonly RunnableTest[]>;
  runnable?: readonly RunnableTest[];
  stack?: StackHandles;
  stackReport?: StackReport;
  /** By selection index; holes are scenarios that never finished. */
  results: (ScenarioResult | undefined)[];
  bailed: boolean;
}

function createTasks(options: RunOptions): Task<RunState>[] {
  return [
    { name: 'load catalog', run: async (state) => void (state.catalog = await loadCatalog(options.root, options.expectations ? { expectations: options.expectations } : {})) },
    {
      name: 'validate catalog',
      run: async (state) => {
        if (!options.validate || !state.catalog) return;
        state.validation = validateCatalog(state.catalog, { relaxedStatus: options.relaxedStatus });
        if (state.validation.ok) return;
        if (blockingIssues(state.catalog, state.validation.issues).length > 0) throw new UsageError('the capability catalog is invalid', 'Fix the issues above (santokit-it validate lists them), or pass --no-validate.');
        options.reporter.onNotice(`the catalog has ${state.validation.summary.errors} error(s) in spec_refs/code_refs paths only: running anyway (santokit-it validate fails on them)`);
      },
    },
    {
      name: 'select scenarios',
      run: async (state) => {
        if (!state.catalog) return;
        state.selection = selectScenarios(state.catalog, options.filters, options.cwd);
        if (state.selection.scenarios.length === 0 && !options.passWithNoScenarios && !state.selection.emptyIsAnswer) {
          throw new UsageError('no scenarios selected', 'Widen the filters (santokit-it list shows what they select), or pass --pass-with-no-scenarios.');
        }
        state.importing = importSelected(options.root, state.selection.scenarios);
        // Settled in 'start stack'; until then a failure must not count as unhandled.
        state.importing.catch(() => undefined);
        options.reporter.onRunStart({ root: options.root, scenarios: state.selection.scenarios, capabilities: new Set(state.selection.scenarios.map((s) => s.capability)).size, jobs: options.jobs, stack: options.stackKind });
        for (const note of state.selection.notes ?? []) options.reporter.onNotice(note);
      },
    },
    {
      name: 'start stack',
      run: async (state, context) => {
        if (!state.selection || state.selection.scenarios.length === 0 || !state.importing) return;
        // Both settle before either failure counts: a stack still starting is never left to the teardown half-made.
        const [stack, runnable] = await Promise.allSettled([startStack(state, options, context), state.importing]);
        if (runnable.status === 'rejected') throw runnable.reason;
        if (stack.status === 'rejected') throw stack.reason;
        state.runnable = runnable.value;
      },
    },
    {
      name: 'run scenarios',
      run: async (state, context) => {
        if (!state.stack || !state.runnable || !state.catalog) return;
        const { catalog, stack } = state;
        // pytest processes need the stack description and SQL endpoint; only made when pytest tests are selected.
        const pytest = state.runnable.some(isPytestTest)
          ? await startPytestSession({ root: options.root, settings: catalog.config.pytest, index: catalog.pytest, stack, teardowns: context })
          : undefined;
        const pool = { ...options, expectations: catalog.expectations, ...(pytest ? { pytest } : {}) };
        state.bailed = (await runScenarioPool(state.runnable, stack, pool, context.signal, state.results)).bailed;
        if (options.holdStack) await options.holdStack(state.stack);
      },
    },
  ];
}

async function startStack(state: RunState, options: RunOptions, context: TaskContext): Promise<void> {
  const started = performance.now();
  state.stackReport = { kind: options.stackKind };
  const stack = await (await options.createStack()).start({
    teardowns: context,
    signal: context.signal,
    outputDir: options.outputDir,
    ...(options.verbose ? { onServiceLine: options.reporter.onServiceLine } : {}),
    onNotice: options.reporter.onNotice,
  });
  state.stack = stack;
  state.stackReport = { kind: stack.kind, hubUrl: stack.hubUrl, bridgeUrl: stack.bridgeUrl, startMs: Math.round(performance.now() - started) };
  options.reporter.onStackReady(state.stackReport);
}

export async function runScenarios(options: RunOptions): Promise<RunReport> {
  const startedAt = new Date();
  const started = performance.now();
  const state: RunState = { results: [], bailed: false };
  const outcome = await runTasks(createTasks(options), state, options.signal);
  const report = buildReport(options, state, outcome, startedAt, Math.round(performance.now() - started));
  // A shard leaves timings.json alone: every shard of a split must read the same one (merge-reports updates it).
  if (!options.signal.aborted && !report.shard) writeTimings(options.root, report.scenarios);
  writeLastFailed(options.root, report);
  await options.reporter.onRunEnd(report);
  return report;
}

/** Every selected scenario gets a result; those that never finished are skipped, with the reason. */
function completeResults(state: RunState, signal: AbortSignal, error: unknown): ScenarioResult[] {
  const reason = signal.aborted ? 'interrupted' : error instanceof StackStartError ? 'stack failed to start' : state.bailed ? 'bail' : 'not run';
  return (state.selection?.scenarios ?? []).map((scenario, index) => state.results[index] ?? skippedResult(scenario, reason));
}

function buildReport(options: RunOptions, state: RunState, outcome: TaskRunResult, startedAt: Date, durationMs: number): RunReport {
  const results = completeResults(state, options.signal, outcome.failed?.error);
  const failure = classify(outcome.failed?.error, options.signal, results, options.strict);
  const stack = failure.error instanceof StackStartError ? { ...(state.stackReport ?? { kind: options.stackKind }), failure: failure.error.failure } : state.stackReport;
  return {
    schemaVersion: REPORT_SCHEMA_VERSION,
    tool: 'santokit-it',
    startedAt: startedAt.toISOString(),
    durationMs,
    status: failure.status,
    exitCode: failure.exitCode,
    strict: options.strict,
    ...(state.catalog ? { catalogHash: catalogHash(state.catalog) } : {}),
    ...(state.selection?.shard ? { shard: state.selection.shard } : {}),
    ...(stack ? { stack } : {}),
    counts: countOutcomes(results),
    capabilities: summariseCapabilities(results, state.catalog?.documents ?? []),
    scenarios: results,
    ...(state.validation ? { validation: state.validation } : {}),
    ...(failure.error ? { error: describe(failure.error) } : {}),
    ...(outcome.teardownFailures.length > 0 ? { teardownFailures: outcome.teardownFailures } : {}),
  };
}

function classify(error: unknown, signal: AbortSignal, results: readonly ScenarioResult[], strict: boolean): { status: RunStatus; exitCode: number; error?: unknown } {
  if (error instanceof InterruptedError || (signal.aborted && error === undefined)) return { status: 'interrupted', exitCode: ExitCode.interrupted, error };
  if (error instanceof StackStartError) return { status: 'stack-failed', exitCode: ExitCode.stackFailed, error };
  if (error instanceof UsageError) return { status: 'invalid', exitCode: ExitCode.invalidInput, error };
  if (error !== undefined) return { status: 'failed', exitCode: error instanceof SantokitItError ? error.exitCode : ExitCode.failed, error };
  const exitCode = exitCodeFor(results, strict);
  return { status: exitCode === ExitCode.passed ? 'passed' : 'failed', exitCode };
}

function describe(error: unknown): { message: string; hint?: string } {
  if (error instanceof SantokitItError) return { message: error.message, ...(error.hint ? { hint: error.hint } : {}) };
  if (error instanceof Error) return { message: `internal error: ${error.stack ?? error.message}` };
  return { message: `internal error: ${String(error)}` };
}
