/**
 * `stk` processes a scenario keeps running (`stk mcp run`, `stk mcp start`),
 * started from the stack's own command line (`stack.stk.command`), so they
 * run where every other `stk` runs: a local child, or `docker exec` in the
 * compose cli container. Each is stopped in the scenario's `finally`, on its
 * abort signal at the latest, and recorded in the transcript when it ends.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import type { ScenarioContext } from './context.ts';

export interface StkProcessOptions {
  readonly env?: Readonly<Record<string, string>>;
  readonly cwd?: string;
}

export interface StkProcess {
  readonly child: ChildProcess;
  /** Everything written to stdout / stderr so far. */
  stdout(): string;
  stderr(): string;
  /** Resolves with the exit code (128 + signal number when killed) once the process is gone. */
  readonly exited: Promise<number>;
  /** Resolves with the first stdout line matching `pattern`; rejects when the process ends first or after `timeoutMs` (default 90 s, start-up included). */
  waitForLine(pattern: RegExp, timeoutMs?: number): Promise<RegExpMatchArray>;
  /** SIGTERM (inside the container under compose), SIGKILL (there too) after 3 s; the exit code. Idempotent. */
  stop(): Promise<number>;
}

const STOP_GRACE_MS = 3_000;
const SIGNAL_NUMBER: Readonly<Record<string, number>> = { SIGTERM: 15, SIGKILL: 9, SIGINT: 2 };
/** Under compose, `sh` reports the pid `stk` will have (exec keeps it), so a stop can signal it inside the container. */
const PID_LINE = /^stk pid (\d+)\n/m;

/** Starts `stk <args>` with the stack's environment and `options.env` on top (no operator token unless given there). */
export function startStk(ctx: ScenarioContext, args: readonly string[], options: StkProcessOptions = {}): StkProcess {
  const line = ctx.stack.stk.command(args, {
    ...(options.env ? { env: options.env } : {}),
    ...(options.cwd ? { cwd: options.cwd } : {}),
  });
  const compose = ctx.stack.kind === 'compose';
  const argv = compose ? withPidReport(line.args, args.length) : [...line.args];
  const env = line.extendEnv ? { ...process.env, ...line.env } : { ...line.env };
  const child = spawn(line.file, argv, { cwd: line.cwd, env: definedOnly(env), stdio: ['pipe', 'pipe', 'pipe'] });
  const kill: Kill = compose
    ? (signal, stderr) => signalInContainer(ctx, child, signal, stderr)
    : (signal) => child.kill(signal);
  return track(ctx, child, args, options.cwd, kill);
}

type Kill = (signal: NodeJS.Signals, stderr: string) => void;

function track(
  ctx: ScenarioContext,
  child: ChildProcess,
  args: readonly string[],
  cwd: string | undefined,
  kill: Kill,
): StkProcess {
  const begin = Date.now();
  let out = '';
  let err = '';
  child.stdout?.setEncoding('utf8').on('data', (chunk: string) => (out += chunk));
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => (err += chunk));
  child.stdin?.on('error', () => undefined);
  const exited = new Promise<number>((resolve) => {
    child.once('error', (error) => {
      err += `\n[santokit-it] could not start stk: ${error.message}\n`;
      resolve(-1);
    });
    child.once('close', (code, signal) => resolve(code ?? 128 + (SIGNAL_NUMBER[signal ?? ''] ?? 0)));
  });
  void exited.then((exitCode) => {
    ctx.signal.removeEventListener('abort', onAbort);
    const stderr = err.replace(PID_LINE, '');
    ctx.transcript.record({
      kind: 'cli',
      at: begin,
      argv: ['stk', ...args],
      ...(cwd ? { cwd } : {}),
      exitCode,
      stdout: out,
      stderr,
      durationMs: Date.now() - begin,
    });
  });
  const onAbort = () => void stop();
  ctx.signal.addEventListener('abort', onAbort, { once: true });
  let stopping: Promise<number> | undefined;
  const stop = (): Promise<number> => {
    if (child.exitCode !== null || child.signalCode !== null) return exited;
    stopping ??= (async () => {
      kill('SIGTERM', err);
      const timer = setTimeout(() => {
        kill('SIGKILL', err);
        child.kill('SIGKILL');
      }, STOP_GRACE_MS);
      const code = await exited;
      clearTimeout(timer);
      return code;
    })();
    return stopping;
  };
  const waitForLine = (pattern: RegExp, timeoutMs = 90_000) =>
    firstLine(
      child,
      () => out,
      exited,
      pattern,
      timeoutMs,
      () => err,
    );
  return { child, stdout: () => out, stderr: () => err.replace(PID_LINE, ''), exited, waitForLine, stop };
}

async function firstLine(
  child: ChildProcess,
  text: () => string,
  exited: Promise<number>,
  pattern: RegExp,
  timeoutMs: number,
  errors: () => string,
): Promise<RegExpMatchArray> {
  const deadline = Date.now() + timeoutMs;
  let ended = false;
  void exited.then(() => (ended = true));
  for (;;) {
    const match = text().match(pattern);
    if (match) return match;
    if (ended)
      throw new Error(
        `stk ended (exit ${child.exitCode ?? child.signalCode}) before printing ${pattern}\nstdout: ${text().slice(-500)}\nstderr: ${errors().slice(-500)}`,
      );
    if (Date.now() > deadline)
      throw new Error(
        `stk printed no line matching ${pattern} within ${timeoutMs} ms\nstdout: ${text().slice(-500)}\nstderr: ${errors().slice(-500)}`,
      );
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

/** `docker exec … <container> stk <args>` → `docker exec … <container> sh -c 'echo "stk pid $$" >&2; exec "$@"' sh stk <args>`. */
function withPidReport(execArgs: readonly string[], userArgs: number): string[] {
  const at = execArgs.length - userArgs - 1;
  if (execArgs[at] !== 'stk') throw new Error(`unexpected docker exec command line: ${execArgs.join(' ')}`);
  return [...execArgs.slice(0, at), 'sh', '-c', 'echo "stk pid $$" >&2; exec "$@"', 'sh', ...execArgs.slice(at)];
}

/** Killing `docker exec` would leave `stk` running in the container: signal it there, by its pid. */
function signalInContainer(ctx: ScenarioContext, child: ChildProcess, signal: NodeJS.Signals, stderr: string): void {
  const reported = PID_LINE.exec(stderr);
  const container = composeContainer(ctx);
  if (!reported || container === undefined) {
    child.kill(signal);
    return;
  }
  // The image may have no kill binary: the shell's builtin does it. The pid is digits only (PID_LINE).
  spawn('docker', ['exec', container, 'sh', '-c', `kill -${signal.replace(/^SIG/, '')} ${reported[1] ?? ''}`], {
    stdio: 'ignore',
  }).once('error', () => child.kill(signal));
}

/** The cli container of a compose stack: `stack.stk.argv` is `docker exec -i <container> stk`. */
export function composeContainer(ctx: ScenarioContext): string | undefined {
  const argv = ctx.stack.stk.argv;
  return ctx.stack.kind === 'compose' && argv[0] === 'docker' && argv.at(-1) === 'stk' ? argv.at(-2) : undefined;
}

function definedOnly(env: Readonly<Record<string, string | undefined>>): Record<string, string> {
  return Object.fromEntries(Object.entries(env).filter((entry): entry is [string, string] => entry[1] !== undefined));
}
