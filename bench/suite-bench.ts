/**
 * Wall time of scenario runs on the embedded stack (cold: a fresh stack per
 * run) at --jobs 1 and at the default jobs: the operator and auth domains,
 * then every implemented scenario; the share spent starting the stack; and
 * the CPU each run used, which bounds what parallel jobs can gain on the
 * cores of this machine.
 */
import { readFileSync, rmSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { costOfCommand, ms, type CommandCost } from './measure.ts';
import { cpuBreakdown } from './cpu-breakdown.ts';

const ROOT = fileURLToPath(new URL('../', import.meta.url));
const BIN = join(ROOT, 'bin/santokit-it.js');
const SUITE_TARGET_MS = 60_000;
const SPEED_UP_TARGET = 2;

interface Run extends CommandCost {
  readonly stackMs: number;
  readonly scenarios: number;
}

function run(selection: readonly string[], jobs: readonly string[]): Run {
  const outputDir = join(ROOT, 'bench/.tmp/suite');
  rmSync(outputDir, { recursive: true, force: true });
  const cost = costOfCommand([
    process.execPath,
    BIN,
    ...selection,
    '--reporter',
    'json',
    '--output-dir',
    outputDir,
    ...jobs,
  ]);
  const report = JSON.parse(readFileSync(join(outputDir, 'results.json'), 'utf8')) as {
    stack?: { startMs?: number };
    scenarios: unknown[];
  };
  return { ...cost, stackMs: report.stack?.startMs ?? 0, scenarios: report.scenarios.length };
}

function seconds(value: number): string {
  return `${(value / 1000).toFixed(1)} s`;
}

function costLine(run: Run): string {
  if (run.cpuMs === undefined) return `${seconds(run.wallMs)} wall`;
  return `${seconds(run.wallMs)} wall, ${seconds(run.cpuMs)} CPU (${(run.cpuMs / run.wallMs).toFixed(2)} cores busy on average)`;
}

/**
 * A run cannot finish before its CPU time spread over every core, so the
 * speed-up over --jobs 1 is at most serial wall × cores / parallel CPU. A
 * serial run that already keeps more than one core busy (the Hub hashing a
 * password on its thread pool, V8 compiling in the background, PostgreSQL
 * backends exiting) lowers that ceiling below the core count.
 */
function ceilingLine(serial: Run, parallel: Run): string[] {
  if (parallel.cpuMs === undefined) return [];
  const cores = availableParallelism();
  const ceiling = (serial.wallMs * cores) / parallel.cpuMs;
  return [
    `  ceiling on ${cores} cores: ${seconds(serial.wallMs)} × ${cores} / ${seconds(parallel.cpuMs)} CPU = ${ceiling.toFixed(2)}×`,
  ];
}

function compare(label: string, selection: readonly string[]): { lines: string[]; parallel: Run; speedUp: number } {
  const serial = run(selection, ['--jobs', '1']);
  const parallel = run(selection, []);
  const speedUp = serial.wallMs / parallel.wallMs;
  return {
    parallel,
    speedUp,
    lines: [
      `${label} (${parallel.scenarios} scenarios), --jobs 1: ${costLine(serial)}`,
      `${label}, default --jobs: ${costLine(parallel)}; speed-up ${speedUp.toFixed(2)}×`,
      ...ceilingLine(serial, parallel),
    ],
  };
}

/** CPU seconds each scenario costs on this machine, stack start and teardown included. */
function cpuPerScenario(run: Run): string[] {
  if (run.cpuMs === undefined) return [];
  return [
    `CPU per scenario (whole suite, default jobs, cold): ${seconds(run.cpuMs)} over ${run.scenarios} scenarios = ${(run.cpuMs / 1000 / run.scenarios).toFixed(2)} s`,
  ];
}

export async function suiteBench(): Promise<string[]> {
  const domains = compare('--domain operator --domain auth', [
    '--domain',
    'operator',
    '--domain',
    'auth',
    '--status',
    'implemented',
  ]);
  const suite = compare('--from-plan --status implemented', ['--from-plan', '--status', 'implemented']);
  const wall = suite.parallel.wallMs;
  return [
    ...domains.lines,
    ...suite.lines,
    `whole suite cold at the default jobs: ${ms(wall)} (target < ${ms(SUITE_TARGET_MS)}: ${wall < SUITE_TARGET_MS ? 'met' : 'NOT met'})`,
    `speed-up of the default jobs over --jobs 1: ${suite.speedUp.toFixed(2)}× (target ≥ ${SPEED_UP_TARGET}×: ${suite.speedUp >= SPEED_UP_TARGET ? 'met' : 'NOT met'})`,
    `stack start share of that run: ${ms(suite.parallel.stackMs)} (${((100 * suite.parallel.stackMs) / wall).toFixed(1)} %)`,
    ...cpuPerScenario(suite.parallel),
    ...cpuBreakdown(ROOT, ['--from-plan', '--status', 'implemented']),
  ];
}
