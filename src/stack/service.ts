/**
 * A service of the stack as a child process tree: `Service` (a description)
 * → `start()` → `StartedService` (running and ready), whose `stop()` ends the
 * whole process group and is safe to call any number of times.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { StackStartError } from '../errors.ts';
import { awaitReady, exitCodeOf, FAILURE_TAIL_LINES, formatMs, type ExitInfo, type Probe } from './probes/probe.ts';
import { processStartTime, terminateTree } from './process-group.ts';
import { own } from './resources.ts';
import { raceAbort, settleWithin, within } from '../util/async.ts';
import { createServiceOutput, type ServiceOutput } from './service-output.ts';
import type { TeardownRegistry } from './types.ts';

export interface ServiceSpec {
  readonly name: string;
  readonly command: string;
  readonly args?: readonly string[];
  /** Added to the runner's environment. */
  readonly env?: Readonly<Record<string, string | undefined>>;
  readonly cwd?: string;
  /** Run as this user (root starting PostgreSQL). */
  readonly user?: { readonly uid: number; readonly gid: number };
  /** Lines put into the output before the process starts (what the tool set up for it). */
  readonly preamble?: readonly string[];
  /** Readiness, in order; none means "ready once spawned". */
  readonly probes?: readonly Probe[];
  readonly startTimeoutMs?: number;
  /** Default SIGTERM. */
  readonly stopSignal?: NodeJS.Signals;
  /** Send stopSignal to the leader only; it stops its own children (postgres). */
  readonly stopLeaderOnly?: boolean;
  /** Grace after stopSignal before SIGKILL; default 5 s. */
  readonly stopTimeoutMs?: number;
}

export interface ServiceContext {
  readonly teardowns: TeardownRegistry;
  readonly signal: AbortSignal;
  /** `<logDir>/<name>.log` receives the output when set. */
  readonly logDir?: string;
  readonly onLine?: (service: string, line: string) => void;
  /** Applied to each output line before it is kept, written or streamed (the run's redactor). */
  readonly redact?: (line: string) => string;
}

export interface StartedService {
  readonly name: string;
  readonly pid: number;
  readonly output: ServiceOutput;
  /** Settles when the process exits (after its output is flushed). */
  readonly exited: Promise<ExitInfo>;
  isRunning(): boolean;
  /** Ends the whole process tree (stopSignal, then SIGKILL after the grace). Idempotent. */
  stop(): Promise<void>;
}

export interface Service {
  readonly name: string;
  /**
   * Registers this service's teardown, spawns it and waits for its probes.
   * Throws StackStartError when it dies or misses its deadline first.
   */
  start(context: ServiceContext): Promise<StartedService>;
}

export const DEFAULT_START_TIMEOUT_MS = 30_000;
const DEFAULT_STOP_TIMEOUT_MS = 5_000;
/** After exit, how long to wait for the pipes to drain (a grandchild may hold them open). */
const OUTPUT_DRAIN_MS = 250;

export function createService(spec: ServiceSpec): Service {
  return { name: spec.name, start: (context) => startService(spec, context) };
}

async function startService(spec: ServiceSpec, context: ServiceContext): Promise<StartedService> {
  const launched = await launch(spec, context);
  await awaitReady({ ...readinessOf(spec, launched, context), probes: spec.probes ?? [], exited: launched.exited });
  return launched;
}

/**
 * Runs a one-shot command (initdb, a migration) under the same rules as a
 * service: teardown registered first, output captured, the wait bounded and
 * abortable. Throws StackStartError unless it exits 0.
 */
export async function runToCompletion(spec: ServiceSpec, context: ServiceContext): Promise<void> {
  const launched = await launch(spec, context);
  const deadlineMs = spec.startTimeoutMs ?? DEFAULT_START_TIMEOUT_MS;
  const exit = await raceAbort(
    within(launched.exited, deadlineMs, () => undefined),
    context.signal,
  );
  if (exit && exit.code === 0) return;
  await launched.stop();
  const waitedFor = `${spec.name} to exit with code 0`;
  const exitCode = exit ? exitCodeOf(exit) : null;
  const message = exit
    ? `${spec.name} failed with exit code ${exitCode}`
    : `${spec.name} did not finish within ${formatMs(deadlineMs)}`;
  throw new StackStartError(message, {
    service: spec.name,
    waitedFor,
    exitCode,
    logTail: launched.output.tail(FAILURE_TAIL_LINES),
  });
}

function readinessOf(spec: ServiceSpec, launched: StartedService, context: ServiceContext) {
  return {
    service: spec.name,
    output: launched.output,
    deadlineMs: spec.startTimeoutMs ?? DEFAULT_START_TIMEOUT_MS,
    signal: context.signal,
    logTail: () => launched.output.tail(),
  };
}

/** Registers the teardown, then spawns; resolves once the process runs. */
async function launch(spec: ServiceSpec, context: ServiceContext): Promise<StartedService> {
  context.signal.throwIfAborted();
  const output = createServiceOutput(spec.name, {
    logDir: context.logDir,
    onLine: context.onLine,
    redact: context.redact,
  });
  for (const line of spec.preamble ?? []) output.line(line);
  let child: ChildProcess | undefined;
  let exited: Promise<ExitInfo> | undefined;
  let stopping: Promise<void> | undefined;
  const stop = () => {
    stopping ??= stopChild(child, exited, spec).finally(() => output.close());
    return stopping;
  };
  const group = own(context.teardowns, `stop ${spec.name}`, stop);
  child = spawnDetached(spec, output);
  // spawn() has forked by now: the group is named before anything can wait.
  if (child.pid !== undefined) group.bind({ kind: 'group', pgid: child.pid, start: processStartTime(child.pid) ?? '' });
  exited = exitOf(child);
  const pid = await spawned(child, spec, output);
  const running = child;
  return {
    name: spec.name,
    pid,
    output,
    exited,
    isRunning: () => running.exitCode === null && running.signalCode === null,
    stop,
  };
}

function spawnDetached(spec: ServiceSpec, output: ServiceOutput): ChildProcess {
  const env: NodeJS.ProcessEnv = { ...process.env, ...spec.env };
  // A service is not part of the runner's own test run.
  delete env.NODE_TEST_CONTEXT;
  const child = spawn(spec.command, spec.args ?? [], {
    cwd: spec.cwd,
    env,
    // Own process group: stop() signals the whole tree.
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
    uid: spec.user?.uid,
    gid: spec.user?.gid,
  });
  for (const stream of [child.stdout, child.stderr]) {
    if (!stream) continue;
    const writer = output.writer();
    stream.setEncoding('utf8');
    stream.on('data', writer.write);
    stream.on('end', writer.end);
  }
  return child;
}

/** Resolves with the pid once spawned, or throws when the command cannot run at all. */
function spawned(child: ChildProcess, spec: ServiceSpec, output: ServiceOutput): Promise<number> {
  return new Promise((resolve, reject) => {
    child.once('spawn', () => resolve(child.pid as number));
    child.once('error', (error) => {
      if (child.pid !== undefined) return;
      output.line(`cannot run ${spec.command}: ${error.message}`);
      const failure = {
        service: spec.name,
        waitedFor: `${spec.command} to start`,
        exitCode: null,
        logTail: output.tail(50),
      };
      reject(new StackStartError(`${spec.name} could not be started: ${error.message}`, failure));
    });
  });
}

function exitOf(child: ChildProcess): Promise<ExitInfo> {
  return new Promise((resolve) => {
    const closed = new Promise<void>((done) => child.once('close', () => done()));
    child.once('exit', (code, signal) => {
      const info = { code, signal };
      void settleWithin(closed, OUTPUT_DRAIN_MS).then(() => resolve(info));
    });
    // A spawn failure emits 'error' and maybe never 'exit'.
    child.once('error', () => {
      if (child.pid === undefined) resolve({ code: null, signal: null });
    });
  });
}

async function stopChild(
  child: ChildProcess | undefined,
  exited: Promise<ExitInfo> | undefined,
  spec: ServiceSpec,
): Promise<void> {
  if (child?.pid === undefined) return;
  const emptied = await terminateTree(child.pid, {
    signal: spec.stopSignal ?? 'SIGTERM',
    graceMs: spec.stopTimeoutMs ?? DEFAULT_STOP_TIMEOUT_MS,
    leaderOnly: spec.stopLeaderOnly,
  });
  if (!emptied) throw new Error(`${spec.name}: process group ${child.pid} still has live processes after SIGKILL`);
  // The group is empty; let the exit event and the last output arrive before the log closes.
  await settleWithin(exited, 1_000);
}
