/**
 * Wall time of the implemented scenarios on the embedded stack at --jobs 1
 * and at the default jobs, and the share of a run spent starting the stack.
 */
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ms, timeCommand } from './measure.ts';

const ROOT = fileURLToPath(new URL('../', import.meta.url));
const BIN = join(ROOT, 'bin/santokit-it.js');

function run(jobs: string[]): { wallMs: number; stackMs: number; scenarios: number } {
  const outputDir = join(ROOT, 'bench/.tmp/suite');
  rmSync(outputDir, { recursive: true, force: true });
  const wallMs = timeCommand([process.execPath, BIN, '--from-plan', '--status', 'implemented', '--reporter', 'json', '--output-dir', outputDir, ...jobs]);
  const report = JSON.parse(readFileSync(join(outputDir, 'results.json'), 'utf8')) as { stack?: { startMs?: number }; scenarios: unknown[] };
  return { wallMs, stackMs: report.stack?.startMs ?? 0, scenarios: report.scenarios.length };
}

export async function suiteBench(): Promise<string[]> {
  const serial = run(['--jobs', '1']);
  const parallel = run([]);
  return [
    `${parallel.scenarios} implemented scenarios, --jobs 1: ${ms(serial.wallMs)} wall`,
    `same, default --jobs: ${ms(parallel.wallMs)} wall (speed-up ${(serial.wallMs / parallel.wallMs).toFixed(2)}×)`,
    `stack start share of the default run: ${ms(parallel.stackMs)} (${((100 * parallel.stackMs) / parallel.wallMs).toFixed(1)} %)`,
  ];
}
