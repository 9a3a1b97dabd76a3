/** Small timing helpers shared by the benchmarks. */
import { spawnSync } from 'node:child_process';

export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? (sorted[middle] ?? 0) : ((sorted[middle - 1] ?? 0) + (sorted[middle] ?? 0)) / 2;
}

/** Wall time of a whole command, in milliseconds; throws when its exit code is not `expectExit`. */
export function timeCommand(argv: readonly string[], expectExit = 0, cwd?: string): number {
  const started = performance.now();
  const result = spawnSync(argv[0] ?? '', argv.slice(1), { cwd, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
  const elapsed = performance.now() - started;
  if (result.status !== expectExit) throw new Error(`${argv.join(' ')} exited ${result.status}: ${result.stderr || result.stdout}`);
  return elapsed;
}

export function ms(value: number): string {
  return `${Math.round(value)} ms`;
}
