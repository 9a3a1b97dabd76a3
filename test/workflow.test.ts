/**
 * The CI recipe stays runnable: every `santokit-it` command that
 * .github/workflows/integration.yml runs is parsed by the real commander
 * program (unknown commands, flags, choices and values fail here, not in CI),
 * and the workflow keeps its shape: a matrix of shards that agrees with
 * --shard, each uploading its results, and a merge job publishing JUnit, the
 * HTML report and the summary.
 */
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { test } from 'node:test';
import type { Command } from 'commander';
import { parse } from 'yaml';
import { createProgram } from '../src/cli/program.ts';
import { createScreen } from '../src/report/screen.ts';
import { PACKAGE_ROOT } from './helpers/catalog-fixture.ts';

interface Step {
  readonly name?: string;
  readonly run?: string;
  readonly uses?: string;
  readonly if?: string;
  readonly with?: Record<string, string | number>;
}
interface Job {
  readonly needs?: string | string[];
  readonly if?: string;
  readonly strategy?: { readonly matrix?: Record<string, readonly (string | number)[]> };
  readonly steps: readonly Step[];
}

const workflow = parse(readFileSync(join(PACKAGE_ROOT, '.github/workflows/integration.yml'), 'utf8')) as {
  jobs: Record<string, Job>;
};

/** Words of a shell command line: whitespace-separated, quotes kept together, `\` line continuations joined. */
function shellWords(line: string): string[] {
  return [...line.matchAll(/'([^']*)'|"([^"]*)"|(\S+)/g)].map((match) => match[1] ?? match[2] ?? match[3] ?? '');
}

/** `${{ matrix.x }}` → each value of the job's matrix; other expressions → a placeholder word. */
function expand(text: string, matrix: Record<string, readonly (string | number)[]>): string[] {
  const keys = Object.keys(matrix);
  const rows =
    keys.length === 0 ? [{}] : (matrix[keys[0] ?? ''] ?? []).map((value) => ({ [keys[0] ?? '']: String(value) }));
  return rows.map((row: Record<string, string>) =>
    text
      .replace(/\$\{\{\s*matrix\.(\w+)\s*\}\}/g, (_, key: string) => row[key] ?? 'x')
      .replace(/\$\{\{[^}]*\}\}/g, 'x'),
  );
}

interface Invocation {
  readonly job: string;
  readonly argv: string[];
}

function santokitInvocations(): Invocation[] {
  const found: Invocation[] = [];
  for (const [name, job] of Object.entries(workflow.jobs)) {
    for (const step of job.steps) {
      if (!step.run) continue;
      for (const script of expand(step.run.replace(/\\\n/g, ' '), job.strategy?.matrix ?? {})) {
        for (const command of script.split(/\n|&&|;/)) {
          const words = shellWords(command);
          const at = words.findIndex((word) => word === 'santokit-it' || word.endsWith('bin/santokit-it.js'));
          if (at >= 0) found.push({ job: name, argv: words.slice(at + 1) });
        }
      }
    }
  }
  return found;
}

/** Parses argv with the CLI's own program; actions only record which command matched. */
async function parseWithProgram(argv: readonly string[]): Promise<{ command: string; args: unknown[] }> {
  const sink = () => new Writable({ write: (_chunk, _encoding, done) => done() });
  const screen = createScreen({ stdout: sink(), stderr: sink(), color: false });
  const io = { cwd: PACKAGE_ROOT, env: {}, signal: new AbortController().signal, screen: () => screen };
  const program = createProgram(io, () => undefined, screen);
  let matched: { command: string; args: unknown[] } | undefined;
  const visit = (command: Command, path: string) => {
    for (const sub of command.commands) {
      const full = path ? `${path} ${sub.name()}` : sub.name();
      sub.action((...args: unknown[]) => void (matched = { command: full, args: args.slice(0, -2) }));
      visit(sub, full);
    }
  };
  visit(program, '');
  await program.parseAsync([...argv], { from: 'user' });
  assert.ok(matched, `no command matched: santokit-it ${argv.join(' ')}`);
  return matched;
}

test('every santokit-it command of the workflow parses with the real CLI, with files that exist', async () => {
  const invocations = santokitInvocations();
  assert.deepEqual([...new Set(invocations.map((invocation) => invocation.job))].sort(), ['merge', 'shard']);
  for (const { argv } of invocations) {
    const { command, args } = await parseWithProgram(argv).catch((error: unknown) =>
      assert.fail(`santokit-it ${argv.join(' ')}: ${String(error)}`),
    );
    const names = ['run', 'merge-reports'];
    assert.ok(names.includes(command), `santokit-it ${argv.join(' ')} runs '${command}'`);
    // The default command takes scenario paths: a misspelt command would arrive here as one.
    if (command === 'run')
      for (const path of (args[0] as string[] | undefined) ?? [])
        assert.ok(existsSync(join(PACKAGE_ROOT, path)), `run path '${path}' exists`);
  }
});

test('the shard matrix and --shard agree, every shard uploads its results, the merge publishes JUnit, HTML and the summary', () => {
  const shard = workflow.jobs.shard as Job;
  const values = shard.strategy?.matrix?.shard ?? [];
  assert.deepEqual(
    values,
    Array.from({ length: values.length }, (_, index) => index + 1),
  );
  const run = santokitInvocations().filter((invocation) => invocation.job === 'shard');
  assert.deepEqual(
    run.map((invocation) => invocation.argv[invocation.argv.indexOf('--shard') + 1]),
    values.map((value) => `${value}/${values.length}`),
  );
  const outputDirs = run.map((invocation) => invocation.argv[invocation.argv.indexOf('--output-dir') + 1]);
  assert.ok(
    run.every((invocation) => invocation.argv.join(' ').match(/--reporter \S*json/)),
    'each shard writes results.json',
  );
  const upload = shard.steps.find((step) => step.uses?.startsWith('actions/upload-artifact@'));
  assert.equal(upload?.if, 'always()', 'a failing shard still uploads');
  assert.deepEqual(expand(String(upload?.with?.path), shard.strategy?.matrix ?? {}), outputDirs);

  const merge = workflow.jobs.merge as Job;
  assert.equal(merge.needs, 'shard');
  assert.equal(merge.if, 'always()', 'the merge runs when a shard failed');
  const merged = santokitInvocations().find((invocation) => invocation.job === 'merge')?.argv ?? [];
  assert.equal(merged[0], 'merge-reports');
  const mergedDir = merged[merged.indexOf('--output-dir') + 1];
  const download = merge.steps.find((step) => step.uses?.startsWith('actions/download-artifact@'));
  assert.ok(merged.includes(String(download?.with?.path)), 'merge-reports reads what was downloaded');
  const publishes = merge.steps
    .filter((step) => step.if === 'always()')
    .map((step) => `${step.uses} ${JSON.stringify(step.with)}`);
  assert.ok(
    publishes.some((line) => line.includes(`${mergedDir}/junit.xml`)),
    'JUnit is published',
  );
  assert.ok(
    publishes.some((line) => line.startsWith('actions/upload-artifact@') && line.includes(`"path":"${mergedDir}"`)),
    'the merged folder (report/index.html) is uploaded',
  );
  // The step summary needs no step: merge-reports appends it to $GITHUB_STEP_SUMMARY, which every GitHub job sets.
  assert.ok(!merged.includes('--reporter'), 'the default merge reporters (json, junit, html) are kept');
});
