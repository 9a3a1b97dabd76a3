/**
 * One pytest process for one test attempt. It leads its own process group,
 * owned like every other resource of the run (the second Ctrl-C and the next
 * run's sweep reach it); at its timeout, on interrupt, and after it exits,
 * whatever is left of its tree (a hung test, a server the test started) is
 * killed.
 */
import { spawn, type ChildProcessByStdio } from 'node:child_process';
import type { Readable } from 'node:stream';
import { processStartTime, terminateTree } from '../../stack/process-group.ts';
import { own } from '../../stack/resources.ts';

export interface PytestProcessOptions {
  readonly cwd: string;
  readonly env: NodeJS.ProcessEnv;
  readonly timeoutMs: number;
  /** The run's signal: aborting it ends the process at once. */
  readonly signal: AbortSignal;
}

export interface PytestProcessOutcome {
  readonly exitCode: number | null;
  readonly timedOut: boolean;
  readonly interrupted: boolean;
  /** The last part of its standard output and error, interleaved. */
  readonly output: string;
  readonly spawnError?: string;
}

const OUTPUT_LIMIT = 64 * 1024;
const CLOSE_WAIT_MS = 2_000;

export async function runPytestProcess(
  argv: readonly string[],
  options: PytestProcessOptions,
): Promise<PytestProcessOutcome> {
  const [command = 'python3', ...args] = argv;
  const owned = spawnOwned(command, args, options);
  const { child, end } = owned;
  const ending = { timedOut: false, interrupted: false };
  const timer = setTimeout(() => {
    ending.timedOut = true;
    void end();
  }, options.timeoutMs);
  const onAbort = () => {
    ending.interrupted = true;
    void end();
  };
  options.signal.addEventListener('abort', onAbort, { once: true });
  const closed = new Promise<void>((resolve) => child.once('close', () => resolve()));
  const ended = await new Promise<{ code: number | null; error?: string }>((resolve) => {
    child.once('error', (error) => resolve({ code: null, error: error.message }));
    // 'exit', not 'close': a child left behind may hold the pipes open; it is killed just below.
    child.once('exit', (code) => resolve({ code }));
  });
  clearTimeout(timer);
  options.signal.removeEventListener('abort', onAbort);
  await owned.release();
  // The pipes drain once nothing of the tree holds them any more.
  await Promise.race([closed, new Promise((resolve) => setTimeout(resolve, CLOSE_WAIT_MS))]);
  return {
    exitCode: ended.code,
    ...ending,
    output: owned.output(),
    ...(ended.error ? { spawnError: `cannot start ${command}: ${ended.error}` } : {}),
  };
}

interface OwnedProcess {
  readonly child: ChildProcessByStdio<null, Readable, Readable>;
  /** Kills what is left of the tree now. */
  end(): Promise<void>;
  /** Kills what is left and leaves the run's registry of owned resources. */
  release(): Promise<void>;
  /** The last OUTPUT_LIMIT characters of standard output and error. */
  output(): string;
}

/** Spawns the process as the leader of its own group, registered before it starts, its output kept. */
function spawnOwned(command: string, args: readonly string[], options: PytestProcessOptions): OwnedProcess {
  const stops: (() => Promise<void>)[] = [];
  let pid: number | undefined;
  const end = () => endTree(pid);
  const group = own({ defer: (_name, stop) => void stops.push(stop) }, `pytest ${args.at(-1) ?? ''}`, end);
  const child = spawn(command, args, {
    cwd: options.cwd,
    env: options.env,
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  pid = child.pid;
  if (pid !== undefined) group.bind({ kind: 'group', pgid: pid, start: processStartTime(pid) ?? '' });
  let output = '';
  const keep = (chunk: Buffer) => {
    output = (output + chunk.toString('utf8')).slice(-OUTPUT_LIMIT);
  };
  child.stdout.on('data', keep);
  child.stderr.on('data', keep);
  return {
    child,
    end,
    release: async () => {
      for (const stop of stops) await stop();
    },
    output: () => output,
  };
}

async function endTree(pid: number | undefined): Promise<void> {
  if (pid !== undefined) await terminateTree(pid, { signal: 'SIGKILL', graceMs: 0 });
}
