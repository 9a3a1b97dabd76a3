/**
 * For the SIGKILL tests: `santokit-it stack up --format json` as a child in a
 * private TMPDIR (its ledger folder and work dirs out of reach of any other
 * test's sweep), resolved once the stack is ready.
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { chmod, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const BIN = join(import.meta.dirname, '..', '..', 'bin', 'santokit-it.js');
const DEADLINE_MS = 60_000;

export interface StackUp {
  readonly child: ChildProcessWithoutNullStreams;
  readonly info: { hubUrl: string; bridgeUrl: string; idp: { url: string } };
  readonly stderr: () => string;
}

export interface StackUps {
  /** Starts `stack up` with `extra` flags and resolves with its JSON line once the stack is ready. */
  up(extra?: readonly string[]): Promise<StackUp>;
  /** The ledger file of the runner with this pid. */
  ledgerFile(pid: number | undefined): string;
  /** Stops what is still running (SIGINT) and removes the private TMPDIR. */
  close(): Promise<void>;
}

export async function stackUps(prefix: string): Promise<StackUps> {
  const privateTmp = await mkdtemp(join(tmpdir(), prefix));
  // Run as root, the cluster belongs to a postgres user, which must reach the initdb cache in here.
  await chmod(privateTmp, 0o755);
  const started: ChildProcessWithoutNullStreams[] = [];
  return {
    up: (extra = []) => {
      const args = [BIN, 'stack', 'up', '--format', 'json', '--output-dir', join(privateTmp, 'out'), '--no-color'];
      const child = spawn(process.execPath, [...args, ...extra], { env: { ...process.env, TMPDIR: privateTmp } });
      started.push(child);
      return ready(child);
    },
    ledgerFile: (pid) => join(privateTmp, `santokit-it-runs-${process.getuid?.() ?? 'user'}`, `${pid}.json`),
    async close() {
      // A failed assertion must not leave a stack behind (nor keep the test process alive).
      for (const child of started) child.kill('SIGINT');
      await Promise.all(started.map(ended));
      await rm(privateTmp, { recursive: true, force: true });
    },
  };
}

function ready(child: ChildProcessWithoutNullStreams): Promise<StackUp> {
  let stdout = '';
  let stderr = '';
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => void (stderr += chunk));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`stack up did not print its JSON line within ${DEADLINE_MS} ms\n${stderr}`));
    }, DEADLINE_MS);
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      stdout += chunk;
      if (!stdout.includes('\n')) return;
      clearTimeout(timer);
      resolve({ child, info: JSON.parse(stdout.split('\n')[0] ?? ''), stderr: () => stderr });
    });
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`stack up exited ${code} before it was ready\n${stderr}`));
    });
  });
}

/** Its exit code once it has ended (null when a signal ended it). */
export function ended(child: ChildProcessWithoutNullStreams): Promise<number | null> {
  return child.exitCode !== null || child.signalCode !== null
    ? Promise.resolve(child.exitCode)
    : new Promise((resolve) => child.on('close', resolve));
}
