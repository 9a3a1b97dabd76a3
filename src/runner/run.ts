/**
 * `santokit-it run` in phases. Planning (load the catalog, validate, select)
 * is plain calls ahead of anything that starts; reporters hear `onRunStart`
 * right after it, whatever it found. Only the two steps that start things are
 * tasks, each registering its teardowns first: start the stack (while the
 * scenario modules load), run the scenarios. The report is built from what
 * each phase left, on every path, and `onRunEnd` follows.
 */
import { performance } from 'node:perf_hooks';
import type { RunReport, ScenarioResult, StackReport } from '../model/results.ts';
import type { Redactor } from '../redact/redactor.ts';
import type { Reporter, RunStartInfo } from '../report/reporter.ts';
import type { StackHandles, StackKind, StackProvider } from '../stack/types.ts';
import { importSelected, isPytestTest, type RunnableTest } from './import-scenarios.ts';
import { writeLastFailed } from './last-failed.ts';
import { planRun, type Planning, type PlanOptions } from './plan-run.ts';
import { startPytestSession } from './pytest/pytest-session.ts';
import { runScenarioPool } from './run-scenarios.ts';
import { buildReport } from './run-report.ts';
import { runTasks, type Task, type TaskContext, type TaskRunResult } from './tasks.ts';
import { writeTimings } from './timings.ts';

export interface RunOptions extends PlanOptions {
  readonly jobs: number;
  readonly timeoutMs: number;
  readonly retries: number;
  readonly bail: boolean;
  readonly strict: boolean;
  readonly outputDir: string;
  readonly stackKind: StackKind;
  readonly createStack: () => Promise<StackProvider>;
  /** Called with the ready stack when --keep-stack is given; resolves when the user is done with it. */
  readonly holdStack?: (stack: StackHandles) => Promise<void>;
  readonly verbose: boolean;
  readonly reporter: Required<Reporter>;
  /** The run's redactor: the stack registers its secrets with it and its service output passes through it. */
  readonly redactor?: Redactor;
  readonly signal: AbortSignal;
}

type Planned = Extract<Planning, { phase: 'planned' }>;

/** How far the tasks got; each task moves it on by one phase. */
type Progress =
  | { readonly phase: 'planned' }
  | { readonly phase: 'starting'; readonly stackReport: StackReport }
  | {
      readonly phase: 'ready';
      readonly stackReport: StackReport;
      readonly stack: StackHandles;
      readonly runnable: readonly RunnableTest[];
    }
  | { readonly phase: 'ran'; readonly stackReport: StackReport; readonly bailed: boolean };

interface Execution {
  progress: Progress;
  /** Results by selection index, collected as each scenario ends (an interrupted pool keeps what finished). */
  readonly results: Map<number, ScenarioResult>;
}

function executionTasks(options: RunOptions, planned: Planned): Task<Execution>[] {
  return [
    {
      name: 'start stack',
      run: async (execution, context) => {
        const importing = importSelected(options.root, planned.selection.scenarios);
        // Both settle before either failure counts: a stack still starting is never left to the teardown half-made.
        const [stack, runnable] = await Promise.allSettled([startStack(execution, options, context), importing]);
        if (runnable.status === 'rejected') throw runnable.reason;
        if (stack.status === 'rejected') throw stack.reason;
        execution.progress = { ...stack.value, phase: 'ready', runnable: runnable.value };
      },
    },
    {
      name: 'run scenarios',
      run: async (execution, context) => {
        const { progress } = execution;
        if (progress.phase !== 'ready')
          throw new Error(`internal error: scenarios cannot run from phase ${progress.phase}`);
        const { catalog } = planned;
        // pytest processes need the stack description and SQL endpoint; only made when pytest tests are selected.
        const pytest = progress.runnable.some(isPytestTest)
          ? await startPytestSession({
              root: options.root,
              settings: catalog.config.pytest,
              index: catalog.pytest,
              stack: progress.stack,
              teardowns: context,
            })
          : undefined;
        const pool = { ...options, expectations: catalog.expectations, ...(pytest ? { pytest } : {}) };
        const collect = (index: number, result: ScenarioResult) => void execution.results.set(index, result);
        const { bailed } = await runScenarioPool(progress.runnable, progress.stack, pool, context.signal, collect);
        execution.progress = { phase: 'ran', stackReport: progress.stackReport, bailed };
        if (options.holdStack) await options.holdStack(progress.stack);
      },
    },
  ];
}

async function startStack(
  execution: Execution,
  options: RunOptions,
  context: TaskContext,
): Promise<{ stack: StackHandles; stackReport: StackReport }> {
  const started = performance.now();
  execution.progress = { phase: 'starting', stackReport: { kind: options.stackKind } };
  const stack = await (
    await options.createStack()
  ).start({
    teardowns: context,
    signal: context.signal,
    outputDir: options.outputDir,
    ...(options.verbose ? { onServiceLine: options.reporter.onServiceLine } : {}),
    onNotice: options.reporter.onNotice,
    ...(options.redactor ? { redactor: options.redactor } : {}),
  });
  const stackReport = {
    kind: stack.kind,
    hubUrl: stack.hubUrl,
    bridgeUrl: stack.bridgeUrl,
    startMs: Math.round(performance.now() - started),
  };
  // Up, though the scenario modules may still fail to load: the report shows the stack as far as it got.
  execution.progress = { phase: 'starting', stackReport };
  options.reporter.onStackReady(stackReport);
  return { stack, stackReport };
}

function startInfo(options: RunOptions, planning: Planning): RunStartInfo {
  const scenarios = planning.phase === 'planned' ? planning.selection.scenarios : [];
  return {
    root: options.root,
    scenarios,
    capabilities: new Set(scenarios.map((s) => s.capability)).size,
    jobs: options.jobs,
    stack: options.stackKind,
  };
}

export async function runScenarios(options: RunOptions): Promise<RunReport> {
  const startedAt = new Date();
  const started = performance.now();
  const planning = await planRun(options);
  options.reporter.onRunStart(startInfo(options, planning));
  const execution: Execution = { progress: { phase: 'planned' }, results: new Map() };
  let outcome: TaskRunResult = { teardownFailures: [] };
  if (planning.phase === 'planned') {
    for (const notice of planning.notices) options.reporter.onNotice(notice);
    if (planning.selection.scenarios.length > 0)
      outcome = await runTasks(executionTasks(options, planning), execution, options.signal);
  }
  const { progress } = execution;
  const report = buildReport({
    planning,
    ...(progress.phase === 'planned' ? {} : { stackReport: progress.stackReport }),
    results: execution.results,
    bailed: progress.phase === 'ran' && progress.bailed,
    error: planning.phase === 'refused' ? planning.error : outcome.failed?.error,
    teardownFailures: outcome.teardownFailures,
    signal: options.signal,
    strict: options.strict,
    startedAt,
    durationMs: Math.round(performance.now() - started),
  });
  // A shard leaves timings.json alone: every shard of a split must read the same one (merge-reports updates it).
  if (!options.signal.aborted && !report.shard) writeTimings(options.root, report.scenarios);
  writeLastFailed(options.root, report);
  await options.reporter.onRunEnd(report);
  return report;
}
