/**
 * For the stk tests: the real Hub process (`hub/main.ts`) on a free loopback
 * port, and the real `stk` binary run by its absolute path.
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { freePort } from '../testing/postgres.ts';

const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));
export const HUB_MAIN = fileURLToPath(new URL('../hub/main.ts', import.meta.url));
export const STK_BIN = fileURLToPath(new URL('./bin/stk.js', import.meta.url));
const START_DEADLINE_MS = 20_000;

export interface HubProcess {
  readonly url: string;
  readonly child: ChildProcess;
  /** Everything the process wrote to stdout so far. */
  output(): string;
  /** SIGTERM, then the exit code (or null when it had to be killed after the deadline). */
  stop(): Promise<number | null>;
}

export function runHubMain(env: Record<string, string>): ChildProcess {
  return spawn(process.execPath, ['--import', 'tsx', HUB_MAIN], {
    cwd: REPO_ROOT,
    env: { PATH: process.env.PATH ?? '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

/** Resolves with the exit code and stderr once the process ends (or kills it after the deadline). */
export function exited(child: ChildProcess, deadlineMs = 15_000): Promise<{ code: number | null; stderr: string }> {
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => void (stderr += chunk.toString()));
  return new Promise((resolve) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), deadlineMs);
    child.once('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, stderr });
    });
  });
}

export async function startHubProcess(env: Record<string, string>): Promise<HubProcess> {
  const port = await freePort();
  const child = runHubMain({ ...env, STK_HUB_PORT: String(port), STK_HUB_HOST: '127.0.0.1' });
  let stdout = '';
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => void (stderr += chunk.toString()));
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(
      () => fail(new Error(`hub did not start within ${START_DEADLINE_MS} ms: ${stderr}`)),
      START_DEADLINE_MS,
    );
    const fail = (error: Error) => {
      clearTimeout(timer);
      child.kill('SIGKILL');
      reject(error);
    };
    child.once('exit', (code) => fail(new Error(`hub exited with ${code} before listening: ${stderr}`)));
    child.stdout?.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      if (stdout.includes(`hub listening on ${port}\n`)) {
        clearTimeout(timer);
        child.removeAllListeners('exit');
        resolve();
      }
    });
  });
  return {
    url: `http://127.0.0.1:${port}`,
    child,
    output: () => stdout,
    stop: async () => {
      if (child.exitCode !== null) return child.exitCode;
      const done = exited(child, 10_000);
      child.kill('SIGTERM');
      return (await done).code;
    },
  };
}

export interface StkResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs `node <abs>/stk.js …` with exactly the given environment (plus PATH). */
export function stk(args: readonly string[], env: Record<string, string | undefined>, cwd: string): Promise<StkResult> {
  const clean: Record<string, string> = { PATH: process.env.PATH ?? '' };
  for (const [key, value] of Object.entries(env)) if (value !== undefined) clean[key] = value;
  return new Promise((resolve) => {
    execFile(process.execPath, [STK_BIN, ...args], { cwd, env: clean, timeout: 30_000 }, (error, stdout, stderr) => {
      const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
      resolve({ code, stdout, stderr });
    });
  });
}
