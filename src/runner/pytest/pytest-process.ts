/**
 * One pytest process for one test attempt. It leads its own process group,
 * owned like every other resource of the run (the second Ctrl-C and the next
 * run's sweep reach it); at its timeout, on interrupt, and after it exits,
 * whatever is left of its tree (a hung test, a server the test started) is
 * killed.
 */
import { spawn } from 'node:child_process';
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

export async function runPytestProcess(argv: readonly string[], options: PytestProcessOptions): Promise<PytestProcessOutcome> {
  const [command = 'python3', ...args] = argv;
  const stops: (() => Promise<void>)[] = [];
  let pid: number | undefined;
  const group = own({ defer: (_name, stop) => void stops.push(stop) }, `pytest ${args.at(-1) ?? ''}`, () => endTree(pid));
  let output = '';
  const keep = (chunk: Buffer) => {
    output = (output + chunk.toString('utf8')).slice(-OUTPUT_LIMIT);
  };
  const child = spawn(command, args, { cwd: options.cwd, env: options.env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  pid = child.pid;
  if (pid !== undefined) group.bind({ kind: 'group', pgid: pid, start: processStartTime(pid) ?? '' });
  child.stdout.on('data', keep);
  child.stderr.on('data', keep);
  let timedOut = false;
  let interrupted = false;
  const timer = setTimeout(() => {
    timedOut = true;
    void endTree(pid);
  }, options.timeoutMs);
  const onAbort = () => {
    interrupted = true;
    void endTree(pid);
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
  for (const stop of stops) await stop();
  // The pipes drain once nothing of the tree holds them any more.
  await Promise.race([closed, new Promise((resolve) => setTimeout(resolve, CLOSE_WAIT_MS))]);
  return { exitCode: ended.code, timedOut, interrupted, output, ...(ended.error ? { spawnError: `cannot start ${command}: ${ended.error}` } : {}) };
}

async function endTree(pid: number | undefined): Promise<void> {
  if (pid !== undefined) await terminateTree(pid, { signal: 'SIGKILL', graceMs: 0 });
}
