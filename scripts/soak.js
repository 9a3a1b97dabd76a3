#!/usr/bin/env node
// `npm run soak [-- <runs> [santokit-it args…]]`: the full implemented suite
// on the embedded stack, <runs> times in a row (default 20), each a cold stack.
// A flaky scenario is a bug: every failing run is listed with the scenarios
// that failed, and the exit code is 1 if any run failed.
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../', import.meta.url));
const [countArg, ...extra] = process.argv.slice(2);
const runs = Number.parseInt(countArg ?? '20', 10);
if (!Number.isInteger(runs) || runs < 1) {
  console.error(`usage: npm run soak -- [runs] [santokit-it args…]   (runs: a positive integer, got '${countArg}')`);
  process.exit(2);
}
const outputRoot = join(root, '.santokit-it', 'soak');
rmSync(outputRoot, { recursive: true, force: true });
mkdirSync(outputRoot, { recursive: true });

const failedRuns = [];
const walls = [];
for (let run = 1; run <= runs; run += 1) {
  const outputDir = join(outputRoot, `run-${run}`);
  const args = [
    join(root, 'bin/santokit-it.js'),
    '--from-plan',
    '--status',
    'implemented',
    '--reporter',
    'json',
    '--output-dir',
    outputDir,
    ...extra,
  ];
  const started = performance.now();
  const child = spawnSync(process.execPath, args, {
    cwd: root,
    encoding: 'utf8',
    env: { ...process.env, NO_COLOR: '1' },
  });
  const wall = (performance.now() - started) / 1000;
  walls.push(wall);
  const failures = failuresOf(outputDir);
  const line = `run ${String(run).padStart(2)}/${runs}: exit ${child.status}, ${wall.toFixed(1)} s`;
  if (child.status === 0) console.log(`${line}, ${failures.scenarios} scenarios passed`);
  else {
    failedRuns.push(run);
    console.log(
      `${line} — FAILED: ${failures.names.join('; ') || (child.stderr || child.stdout).trim().split('\n').slice(-3).join(' | ')}`,
    );
  }
}
walls.sort((a, b) => a - b);
console.log(
  `${runs - failedRuns.length}/${runs} runs green; wall min ${walls[0].toFixed(1)} s, median ${walls[Math.floor(walls.length / 2)].toFixed(1)} s, max ${walls.at(-1).toFixed(1)} s`,
);
console.log(`reports: ${outputRoot}/run-N/results.json`);
process.exit(failedRuns.length === 0 ? 0 : 1);

function failuresOf(outputDir) {
  try {
    const report = JSON.parse(readFileSync(join(outputDir, 'results.json'), 'utf8'));
    const failed = report.scenarios.filter((scenario) => scenario.outcome === 'failed' || scenario.outcome === 'flaky');
    const names = failed.map(
      (scenario) =>
        `${scenario.capability} ${scenario.name}: ${scenario.error?.message?.split('\n')[0] ?? scenario.outcome}`,
    );
    return { scenarios: report.scenarios.length, names: report.error ? [report.error.message, ...names] : names };
  } catch {
    return { scenarios: 0, names: [] };
  }
}
