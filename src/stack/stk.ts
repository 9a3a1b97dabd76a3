/**
 * Running `stk`: as a local process (embedded, process, external) or through
 * `docker exec` in the cli container (compose). Never rejects on a non-zero
 * exit; exit code and output are what scenarios assert on.
 */
import { constants } from 'node:os';
import { relative, resolve, sep } from 'node:path';
import { execa } from 'execa';
import type { StkHandle, StkResult, StkRunOptions } from './types.ts';

export const DEFAULT_STK_TIMEOUT_MS = 60_000;

/** An `stk` that runs on this machine: `argv` prefix plus the stack's variables (`undefined` removes one). */
export function createLocalStk(
  argv: readonly string[],
  stackEnv: Readonly<Record<string, string | undefined>>,
): StkHandle {
  const [file = 'stk', ...prefix] = argv;
  const command: StkHandle['command'] = (args, options = {}) => ({
    file,
    args: [...prefix, ...args],
    env: { ...inheritedEnv(), ...stackEnv, ...options.env },
    extendEnv: false,
    ...(options.cwd === undefined ? {} : { cwd: options.cwd }),
  });
  return {
    argv,
    command,
    async run(args, options = {}) {
      const line = command(args, options);
      return runCommand(line.file, line.args, args, { ...options, env: line.env, extendEnv: false });
    },
  };
}

/** Folders of the host that the cli container sees, and where. */
export interface Mount {
  readonly host: string;
  readonly container: string;
}

/** An `stk` run with `docker exec` in a container; host cwds are mapped through `mounts`. */
export function createDockerExecStk(container: string, mounts: readonly Mount[], defaultCwd: string): StkHandle {
  const prefix = ['docker', 'exec', '-i', container, 'stk'];
  // The cwd is the container's (-w); the local one only has to exist.
  const command: StkHandle['command'] = (args, options = {}) => {
    const workdir = options.cwd === undefined ? defaultCwd : containerPath(options.cwd, mounts);
    const envFlags = Object.entries(options.env ?? {}).flatMap(([name, value]) => ['-e', `${name}=${value}`]);
    return {
      file: 'docker',
      args: ['exec', '-i', '-w', workdir, ...envFlags, container, 'stk', ...args],
      extendEnv: true,
    };
  };
  return {
    argv: prefix,
    command,
    async run(args, options = {}) {
      return runCommand('docker', command(args, options).args, args, {
        ...options,
        cwd: undefined,
        reportedCwd: options.cwd,
      });
    },
  };
}

/** Where host path `path` appears inside the container; throws when it is not mounted. */
export function containerPath(path: string, mounts: readonly Mount[]): string {
  const absolute = resolve(path);
  for (const mount of mounts) {
    const rel = relative(mount.host, absolute);
    if (rel === '') return mount.container;
    if (!rel.startsWith('..') && !rel.startsWith(sep)) return `${mount.container}/${rel.split(sep).join('/')}`;
  }
  const visible = mounts.map((mount) => mount.host).join(', ');
  throw new Error(
    `stk cwd ${absolute} is not visible in the cli container; project folders must live under: ${visible}`,
  );
}

interface RunOptions extends Omit<StkRunOptions, 'env'> {
  readonly env?: Readonly<Record<string, string | undefined>>;
  readonly extendEnv?: boolean;
  readonly reportedCwd?: string;
}

async function runCommand(
  file: string,
  fullArgs: readonly string[],
  args: readonly string[],
  options: RunOptions,
): Promise<StkResult> {
  const begin = performance.now();
  const result = await execa(file, fullArgs, {
    cwd: options.cwd,
    env: options.env,
    extendEnv: options.extendEnv ?? true,
    input: options.input ?? '',
    timeout: options.timeoutMs ?? DEFAULT_STK_TIMEOUT_MS,
    reject: false,
    stripFinalNewline: false,
    forceKillAfterDelay: 2_000,
  });
  const cwd = options.reportedCwd ?? options.cwd;
  return {
    argv: [...args],
    ...(cwd === undefined ? {} : { cwd }),
    exitCode: result.exitCode ?? signalExitCode(result.signal),
    stdout: String(result.stdout ?? ''),
    stderr:
      String(result.stderr ?? '') +
      (result.timedOut
        ? `\n[santokit-it] stk timed out after ${options.timeoutMs ?? DEFAULT_STK_TIMEOUT_MS} ms\n`
        : ''),
    durationMs: Math.round(performance.now() - begin),
  };
}

function signalExitCode(signal: string | undefined): number {
  const number = signal ? constants.signals[signal as NodeJS.Signals] : undefined;
  return number === undefined ? -1 : 128 + number;
}

/** The runner's environment minus what would confuse stk (the user's own STK_* settings, the test runner's marker). */
function inheritedEnv(): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [name, value] of Object.entries(process.env)) {
    if (value === undefined || name.startsWith('STK_') || name === 'NODE_TEST_CONTEXT') continue;
    env[name] = value;
  }
  return env;
}
