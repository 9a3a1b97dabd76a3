/** Small timing helpers shared by the benchmarks. */
import { spawnSync } from 'node:child_process';
import { readStat } from '../src/stack/process-group.ts';

export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? (sorted[middle] ?? 0) : ((sorted[middle - 1] ?? 0) + (sorted[middle] ?? 0)) / 2;
}

/** Wall time of a whole command, in milliseconds; throws when its exit code is not `expectExit`. */
export function timeCommand(argv: readonly string[], expectExit = 0, cwd?: string): number {
  const started = performance.now();
  const result = spawnSync(argv[0] ?? '', argv.slice(1), {
    cwd,
    encoding: 'utf8',
    env: { ...process.env, NO_COLOR: '1' },
  });
  const elapsed = performance.now() - started;
  if (result.status !== expectExit)
    throw new Error(`${argv.join(' ')} exited ${result.status}: ${result.stderr || result.stdout}`);
  return elapsed;
}

export function ms(value: number): string {
  return `${Math.round(value)} ms`;
}

/** Wall time and CPU time of a command; CPU counts the command and every process it waited for. */
export interface CommandCost {
  readonly wallMs: number;
  /** Undefined where /proc is not there to read it from (not Linux). */
  readonly cpuMs: number | undefined;
}

export function costOfCommand(argv: readonly string[], expectExit = 0): CommandCost {
  const before = childCpuMs();
  const wallMs = timeCommand(argv, expectExit);
  const after = childCpuMs();
  return { wallMs, cpuMs: before === undefined || after === undefined ? undefined : after - before };
}

/**
 * User plus system CPU of the children this process has waited for, and of
 * the children they waited for (Linux /proc, in ticks of 10 ms).
 */
function childCpuMs(): number | undefined {
  const ticks = readStat(process.pid)?.waitedChildrenTicks;
  return ticks !== undefined && Number.isFinite(ticks) ? ticks * 10 : undefined;
}
