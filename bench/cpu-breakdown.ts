/**
 * Where a suite's CPU goes: the suite runs on a warm stack (`stack up
 * --detach`), so the services outlive the run and their CPU can be read from
 * /proc before and after it: each service's process group (its processes
 * plus the children they waited for, such as PostgreSQL's backends). The
 * run's own process and the `stk` processes it starts are counted together,
 * as the children this benchmark waited for. Linux only.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readStat } from '../src/stack/process-group.ts';

const TICK_MS = 10;
const SERVICES = ['hub', 'bridge', 'idp', 'objectstore', 'postgres'];

interface Group {
  readonly pgid: number;
  readonly service: string;
}

/** User+system CPU of every live process in the group, with the children they reaped, in ms. */
function groupCpuMs(pgid: number): number {
  let ticks = 0;
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    let text: string;
    try {
      text = readFileSync(`/proc/${name}/stat`, 'utf8');
    } catch {
      continue;
    }
    const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
    if (Number(fields[2]) !== pgid) continue;
    ticks += Number(fields[11]) + Number(fields[12]) + Number(fields[13]) + Number(fields[14]);
  }
  return ticks * TICK_MS;
}

function serviceOf(pgid: number): string {
  try {
    const command = readFileSync(`/proc/${pgid}/cmdline`, 'utf8').replaceAll('\0', ' ');
    return (
      SERVICES.find(
        (service) =>
          command.includes(`/${service}/`) || command.includes(`${service} `) || command.includes(`/${service}`),
      ) ?? command.slice(0, 40)
    );
  } catch {
    return `group ${pgid}`;
  }
}

/** The owner's process groups, from its leftovers ledger (the registry writes one per runner). */
function ownerGroups(ownerPid: number): Group[] {
  const file = join(tmpdir(), `santokit-it-runs-${process.getuid?.() ?? 'user'}`, `${ownerPid}.json`);
  const ledger = JSON.parse(readFileSync(file, 'utf8')) as { resources: { kind: string; pgid?: number }[] };
  return ledger.resources.flatMap((resource) =>
    resource.kind === 'group' && resource.pgid !== undefined
      ? [{ pgid: resource.pgid, service: serviceOf(resource.pgid) }]
      : [],
  );
}

/** Wall and CPU of a command and the children it waited for, whatever its exit code (failing scenarios cost CPU too). */
function runCost(argv: readonly string[]): { wallMs: number; cpuMs: number } {
  const ticks = () => readStat(process.pid)?.waitedChildrenTicks ?? 0;
  const before = ticks();
  const started = performance.now();
  spawnSync(argv[0] ?? '', argv.slice(1), { encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
  return { wallMs: performance.now() - started, cpuMs: (ticks() - before) * TICK_MS };
}

interface Results {
  readonly scenarios: readonly { readonly transcript: readonly { readonly kind: string }[] }[];
}

function warmStkArgv(root: string): string[] {
  return (JSON.parse(readFileSync(join(root, '.santokit-it/stack.json'), 'utf8')) as { stack: { stkArgv: string[] } })
    .stack.stkArgv;
}

/** The runner's side split: how many stk processes the scenarios started, and what one costs (`stk --help`, median of 5). */
function stkShare(report: Results, stkArgv: readonly string[], runnerCpuMs: number): string[] {
  const calls = report.scenarios.reduce(
    (sum, scenario) => sum + scenario.transcript.filter((entry) => entry.kind === 'cli').length,
    0,
  );
  const samples = Array.from({ length: 5 }, () => runCost([...stkArgv, '--help']).cpuMs).sort((a, b) => a - b);
  const each = samples[2] ?? 0;
  const share = Math.min(runnerCpuMs, calls * each);
  return [
    `stk processes: ${calls} runs × about ${each} ms of CPU each (stk --help) ≈ ${(share / 1000).toFixed(1)} s of the runner's ${(runnerCpuMs / 1000).toFixed(1)} s`,
  ];
}

export function cpuBreakdown(root: string, selection: readonly string[]): string[] {
  const bin = join(root, 'bin/santokit-it.js');
  // A warm stack the developer keeps here is measured as it is, and left up.
  const kept = existsSync(join(root, '.santokit-it/stack.json'));
  const up = spawnSync(
    process.execPath,
    [bin, 'stack', 'up', '--detach', '--root', root, '--output-dir', join(root, 'bench/.tmp/cpu')],
    { encoding: 'utf8' },
  );
  if (up.status !== 0)
    return [`where the CPU goes: the warm stack did not start (${up.stderr.trim().split('\n').pop()})`];
  try {
    const owner = (
      JSON.parse(readFileSync(join(root, '.santokit-it/stack.json'), 'utf8')) as { owner: { pid: number } }
    ).owner.pid;
    // The owner's own group pipes the services' output to their log files.
    const groups = [...ownerGroups(owner), { pgid: owner, service: 'stack owner' }];
    const before = groups.map((group) => groupCpuMs(group.pgid));
    const outputDir = join(root, 'bench/.tmp/cpu/run');
    const run = runCost([
      process.execPath,
      bin,
      ...selection,
      '--reuse-stack',
      '--root',
      root,
      '--reporter',
      'json',
      '--output-dir',
      outputDir,
    ]);
    const report = JSON.parse(readFileSync(join(outputDir, 'results.json'), 'utf8')) as Results;
    const scenarios = report.scenarios.length;
    const used = new Map<string, number>([['runner and its stk processes', run.cpuMs]]);
    groups.forEach((group, index) =>
      used.set(group.service, (used.get(group.service) ?? 0) + groupCpuMs(group.pgid) - (before[index] ?? 0)),
    );
    const total = [...used.values()].reduce((sum, value) => sum + value, 0);
    const parts = [...used]
      .sort(([, a], [, b]) => b - a)
      .map(([name, value]) => `${name} ${(value / 1000).toFixed(1)} s (${((100 * value) / total).toFixed(0)} %)`);
    return [
      ...stkShare(report, warmStkArgv(root), run.cpuMs),
      `where the CPU goes (${selection.join(' ')} on a warm stack, ${scenarios} scenarios, ${(total / 1000).toFixed(1)} s CPU, ${(total / 1000 / scenarios).toFixed(2)} s per scenario):`,
      `  ${parts.join(', ')}`,
    ];
  } finally {
    if (!kept) spawnSync(process.execPath, [bin, 'stack', 'down', '--root', root], { encoding: 'utf8' });
  }
}
