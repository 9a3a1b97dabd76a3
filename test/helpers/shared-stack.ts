/**
 * One embedded stack for a whole e2e file: `santokit-it stack up --format
 * json` started once; each run reaches it as `--stack external`.
 */
import { spawn } from 'node:child_process';
import { BIN } from './cli.ts';
import { PACKAGE_ROOT } from './catalog-fixture.ts';

export interface StackInfo {
  readonly hubUrl: string;
  readonly bridgeUrl: string;
  readonly adminDatabaseUrl: string;
}

export interface SharedStack {
  readonly info: StackInfo;
  /** `--stack external` flags reaching this stack. */
  readonly flags: readonly string[];
  stop(): Promise<number | null>;
}

export function startSharedStack(outputDir: string, timeoutMs = 120_000): Promise<SharedStack> {
  const child = spawn(
    process.execPath,
    [BIN, 'stack', 'up', '--format', 'json', '--output-dir', outputDir, '--no-color'],
    {
      cwd: PACKAGE_ROOT,
      env: { ...process.env, NO_COLOR: '1' },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  const closed = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
  let stdout = '';
  let stderr = '';
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGTERM');
      reject(new Error(`stack up gave no JSON line within ${timeoutMs} ms:\n${stderr}`));
    }, timeoutMs);
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      stdout += chunk;
      const line = stdout.split('\n').find((candidate) => candidate.startsWith('{'));
      if (line === undefined || !stdout.includes('\n')) return;
      clearTimeout(timer);
      const info = JSON.parse(line) as StackInfo;
      resolve({
        info,
        flags: [
          '--stack',
          'external',
          '--hub-url',
          info.hubUrl,
          '--bridge-url',
          info.bridgeUrl,
          '--database-url',
          info.adminDatabaseUrl,
        ],
        stop: () => {
          child.kill('SIGTERM');
          return closed;
        },
      });
    });
    void closed.then((code) => reject(new Error(`stack up exited (${String(code)}) before it was ready:\n${stderr}`)));
  });
}
