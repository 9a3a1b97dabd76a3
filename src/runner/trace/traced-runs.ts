/**
 * The runs a trace measures, each a santokit-it process of its own with
 * NODE_V8_COVERAGE set, so every Node process of its stack (Hub, Bridge,
 * idp, object store, each stk) writes its coverage into the run's folder
 * when it exits. One stack per run: what a run executed belongs to it alone.
 * A run is a service of the trace (owned, stopped on Ctrl-C); it tears its
 * own stack down on SIGTERM, which lets the stack's processes write.
 */
import { join } from 'node:path';
import type { Redactor } from '../../redact/redactor.ts';
import { logProbe } from '../../stack/probes/log-probe.ts';
import { exitCodeOf, type Probe } from '../../stack/probes/probe.ts';
import { LOOPBACK_ONLY_ENV } from '../../stack/options.ts';
import { referenceStk } from '../../stack/providers/embedded.ts';
import { createService, runToCompletion, type ServiceSpec } from '../../stack/service.ts';
import type { TeardownRegistry } from '../../stack/types.ts';
import { raceAbort } from '../../util/async.ts';

export interface TracedRunContext {
  /** The santokit-it package: its bin and reference stack. */
  readonly packageRoot: string;
  /** The catalog's repository (`--root`). */
  readonly root: string;
  readonly outputDir: string;
  readonly teardowns: TeardownRegistry;
  readonly signal: AbortSignal;
  readonly redactor: Redactor;
}

export interface TracedRun {
  /** Where this run's processes wrote their coverage. */
  readonly coverageDir: string;
  readonly exitCode: number;
  readonly durationMs: number;
}

/** A run's child process may need to tear a whole stack down after SIGTERM. */
const RUN_STOP_GRACE_MS = 60_000;
/** A stack start on a loaded machine, with every process writing coverage. */
const STACK_READY_MS = 180_000;

/**
 * The baseline: a stack started (its health probes answered) and torn down,
 * no scenario; and one `stk --help`, which is what every stk process does
 * before its command (it registers every command).
 */
export async function traceBaseline(context: TracedRunContext): Promise<TracedRun> {
  const folder = join(context.outputDir, 'baseline');
  const args = ['stack', 'up', '--format', 'json', '--root', context.root, '--output-dir', folder, '--no-color'];
  // `stack up --format json` prints its one JSON line once every service is ready.
  const run = await tracedRun('baseline', folder, args, context, logProbe(/^\{"hubUrl"/));
  const [command = process.execPath, ...stkArgs] = await referenceStk(context.packageRoot);
  await runToCompletion(
    {
      name: 'stk',
      command,
      args: [...stkArgs, '--help'],
      env: { NODE_V8_COVERAGE: run.coverageDir, ...LOOPBACK_ONLY_ENV },
      cwd: context.root,
    },
    { teardowns: context.teardowns, signal: context.signal, logDir: folder, redact: context.redactor.text },
  );
  return run;
}

export interface CapabilityRunSettings {
  readonly jobs: number;
  readonly timeoutMs: number;
}

/** The scenarios of one capability on a stack of their own. */
export function traceCapabilityRun(
  id: string,
  settings: CapabilityRunSettings,
  context: TracedRunContext,
): Promise<TracedRun> {
  const folder = join(context.outputDir, id);
  const args = [
    'run',
    '--capability',
    id,
    '--root',
    context.root,
    '--jobs',
    String(settings.jobs),
    '--timeout',
    `${settings.timeoutMs}ms`,
    '--reporter',
    'json,dot',
    '--output-dir',
    folder,
    // The trace validated the catalog once before its first run.
    '--no-validate',
    '--pass-with-no-scenarios',
    '--no-color',
  ];
  return tracedRun(`run ${id}`, folder, args, context);
}

async function tracedRun(
  name: string,
  folder: string,
  args: readonly string[],
  context: TracedRunContext,
  readyThenStop?: Probe,
): Promise<TracedRun> {
  const coverageDir = join(folder, 'v8');
  const begin = performance.now();
  const started = await createService(runSpec(name, args, coverageDir, context, readyThenStop)).start({
    teardowns: context.teardowns,
    signal: context.signal,
    logDir: folder,
    redact: context.redactor.text,
  });
  if (readyThenStop) await started.stop();
  const exit = await raceAbort(started.exited, context.signal);
  await started.stop();
  // A stack stopped on purpose exits 0; a killed run counts as failed.
  return { coverageDir, exitCode: exitCodeOf(exit) ?? 1, durationMs: Math.round(performance.now() - begin) };
}

function runSpec(
  name: string,
  args: readonly string[],
  coverageDir: string,
  context: TracedRunContext,
  readyThenStop: Probe | undefined,
): ServiceSpec {
  return {
    name: 'trace',
    command: process.execPath,
    args: [join(context.packageRoot, 'bin', 'santokit-it.js'), ...args],
    env: { NODE_V8_COVERAGE: coverageDir, NO_COLOR: '1', FORCE_COLOR: undefined },
    cwd: context.root,
    probes: readyThenStop ? [readyThenStop] : [],
    startTimeoutMs: STACK_READY_MS,
    // Only the leader: santokit-it takes a second signal as the second Ctrl-C, which kills without a clean stop.
    stopLeaderOnly: true,
    stopTimeoutMs: RUN_STOP_GRACE_MS,
    preamble: [`[santokit-it trace] ${name}`],
  };
}
