/**
 * `bench changed`: the inner loop. In a copy of this checkout (its own git
 * repository, the same node_modules, built there): the full cold run a
 * pre-merge check does today, then a warm stack (`stack up --detach`), then
 * `santokit-it --changed --reuse-stack` after a one-line change — first in a
 * scenario module (the warm stack is reused), then in
 * reference/bridge/where.ts (the stack's own sources changed, so the run
 * starts a fresh stack and says so). Wall time from command to exit.
 */
import { spawnSync } from 'node:child_process';
import { appendFileSync, cpSync, mkdirSync, readFileSync, rmSync, symlinkSync, existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ms } from './measure.ts';

const ROOT = fileURLToPath(new URL('../', import.meta.url));
const TARGET_MS = 5_000;
const BRIDGE_FILE = 'reference/bridge/where.ts';
const SCENARIO_FILE = 'src/scenarios/crud/crud-002-update-delete-where-gate.ts';

interface Timed {
  readonly wallMs: number;
  readonly code: number | null;
  readonly stderr: string;
  readonly report?: { scenarios: unknown[]; stack?: { startMs?: number } };
}

function git(cwd: string, ...args: string[]): string {
  const result = spawnSync('git', ['-C', cwd, '-c', 'user.name=bench', '-c', 'user.email=bench@example.com', ...args], {
    encoding: 'utf8',
  });
  if (result.status !== 0) throw new Error(`git ${args.join(' ')}: ${result.stderr}`);
  return result.stdout;
}

/** Tracked and untracked (not ignored) files of this checkout, built there (a dist/ of exactly these sources). */
function copyCheckout(target: string): void {
  rmSync(target, { recursive: true, force: true });
  const files = git(ROOT, 'ls-files', '-co', '--exclude-standard', '-z').split('\0').filter(Boolean);
  for (const file of files) {
    if (!existsSync(join(ROOT, file))) continue;
    mkdirSync(dirname(join(target, file)), { recursive: true });
    cpSync(join(ROOT, file), join(target, file), { preserveTimestamps: true });
  }
  symlinkSync(join(ROOT, 'node_modules'), join(target, 'node_modules'));
  if (existsSync(join(ROOT, 'reference/node_modules')))
    symlinkSync(join(ROOT, 'reference/node_modules'), join(target, 'reference/node_modules'));
  const build = spawnSync(process.execPath, [join(target, 'scripts/build.js')], { cwd: target, encoding: 'utf8' });
  if (build.status !== 0) throw new Error(`build of the copy failed: ${build.stdout}${build.stderr}`);
  spawnSync('git', ['init', '--quiet', '--initial-branch=main', target]);
  git(target, 'add', '-A');
  git(target, 'commit', '--quiet', '--no-verify', '-m', 'bench base');
}

function santokit(repo: string, args: readonly string[], outputDir?: string): Timed {
  const argv = [
    join(repo, 'bin/santokit-it.js'),
    ...args,
    ...(outputDir ? ['--reporter', 'list,json', '--output-dir', outputDir] : []),
  ];
  const started = performance.now();
  const result = spawnSync(process.execPath, argv, {
    cwd: repo,
    encoding: 'utf8',
    env: { ...process.env, NO_COLOR: '1' },
  });
  const wallMs = performance.now() - started;
  const file = outputDir ? join(outputDir, 'results.json') : undefined;
  const report = file && existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as Timed['report']) : undefined;
  return { wallMs, code: result.status, stderr: result.stderr, ...(report ? { report } : {}) };
}

function line(label: string, run: Timed): string {
  const notes = run.stderr
    .split('\n')
    .filter((text) => text.startsWith('--changed') || text.startsWith('--reuse-stack'))
    .map((text) => `\n      ${text}`)
    .join('');
  return `${label}: ${ms(run.wallMs)} wall, exit ${run.code}, ${run.report?.scenarios.length ?? '?'} scenarios, stack ready in ${ms(run.report?.stack?.startMs ?? 0)}${notes}`;
}

export async function changedBench(): Promise<string[]> {
  const work = join(ROOT, 'bench/.tmp/changed');
  const repo = join(work, 'repo');
  copyCheckout(repo);
  const lines: string[] = [];
  try {
    const cold = santokit(repo, ['--from-plan'], join(work, 'cold'));
    lines.push(line('full cold run (--from-plan, fresh stack)', cold));
    const up = santokit(repo, ['stack', 'up', '--detach']);
    lines.push(`stack up --detach: ${ms(up.wallMs)} (exit ${up.code})`);
    appendFileSync(join(repo, SCENARIO_FILE), '// one-line change\n');
    const scenario = santokit(repo, ['--changed', '--reuse-stack'], join(work, 'scenario'));
    lines.push(line(`one line in ${SCENARIO_FILE}, --changed --reuse-stack`, scenario));
    git(repo, 'checkout', '--quiet', '--', SCENARIO_FILE);
    appendFileSync(join(repo, BRIDGE_FILE), '// one-line change\n');
    const bridge = santokit(repo, ['--changed', '--reuse-stack'], join(work, 'bridge'));
    lines.push(line(`one line in ${BRIDGE_FILE}, --changed --reuse-stack`, bridge));
    const met = bridge.wallMs <= TARGET_MS ? 'met' : 'NOT met';
    lines.push(
      `${BRIDGE_FILE}: ${ms(bridge.wallMs)} beside ${ms(cold.wallMs)} for the full cold run (target ≤ ${ms(TARGET_MS)}: ${met})`,
    );
  } finally {
    santokit(repo, ['stack', 'down']);
    rmSync(work, { recursive: true, force: true });
  }
  return lines;
}
