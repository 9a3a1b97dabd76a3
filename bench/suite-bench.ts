/**
 * Wall time of scenario runs on the embedded stack (cold: a fresh stack per
 * run) at --jobs 1 and at the default jobs: the operator and auth domains,
 * then every implemented scenario; and the share spent starting the stack.
 */
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ms, timeCommand } from './measure.ts';

const ROOT = fileURLToPath(new URL('../', import.meta.url));
const BIN = join(ROOT, 'bin/santokit-it.js');
const SUITE_TARGET_MS = 60_000;

interface Run {
  readonly wallMs: number;
  readonly stackMs: number;
  readonly scenarios: number;
}

function run(selection: readonly string[], jobs: readonly string[]): Run {
  const outputDir = join(ROOT, 'bench/.tmp/suite');
  rmSync(outputDir, { recursive: true, force: true });
  const wallMs = timeCommand([process.execPath, BIN, ...selection, '--reporter', 'json', '--output-dir', outputDir, ...jobs]);
  const report = JSON.parse(readFileSync(join(outputDir, 'results.json'), 'utf8')) as { stack?: { startMs?: number }; scenarios: unknown[] };
  return { wallMs, stackMs: report.stack?.startMs ?? 0, scenarios: report.scenarios.length };
}

function compare(label: string, selection: readonly string[]): { lines: string[]; parallel: Run } {
  const serial = run(selection, ['--jobs', '1']);
  const parallel = run(selection, []);
  return {
    parallel,
    lines: [
      `${label} (${parallel.scenarios} scenarios), --jobs 1: ${ms(serial.wallMs)} wall`,
      `${label}, default --jobs: ${ms(parallel.wallMs)} wall (speed-up ${(serial.wallMs / parallel.wallMs).toFixed(2)}×)`,
    ],
  };
}

export async function suiteBench(): Promise<string[]> {
  const domains = compare('--domain operator --domain auth', ['--domain', 'operator', '--domain', 'auth', '--status', 'implemented']);
  const suite = compare('--from-plan --status implemented', ['--from-plan', '--status', 'implemented']);
  const wall = suite.parallel.wallMs;
  return [
    ...domains.lines,
    ...suite.lines,
    `whole suite cold at the default jobs: ${ms(wall)} (target < ${ms(SUITE_TARGET_MS)}: ${wall < SUITE_TARGET_MS ? 'met' : 'NOT met'})`,
    `stack start share of that run: ${ms(suite.parallel.stackMs)} (${((100 * suite.parallel.stackMs) / wall).toFixed(1)} %)`,
  ];
}
