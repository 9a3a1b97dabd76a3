/**
 * Past one machine, through the real CLI on a fixture catalog (`--stack
 * external` against a loopback server; the scenarios call nothing): balanced
 * shards, merge-reports and what it refuses, the GitHub step summary, and
 * --last-failed.
 */
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { capability, scenarioModule, validTree, writeTree } from './helpers/catalog-fixture.ts';
import { runCli } from './helpers/cli.ts';
import { startHealthServer } from './helpers/health-server.ts';

interface Report {
  status: string;
  exitCode: number;
  catalogHash: string;
  shard?: { index: number; total: number; strategy: string; split: string };
  merged?: { sources: { path: string }[]; missingShards: number[] };
  capabilities: { id: string; outcome: string }[];
  scenarios: { id: string; capability: string; outcome: string }[];
}

const FAILING = 'src/scenarios/crud/crud-002-update.ts::update fails on demand';

function tree(): Record<string, string> {
  const files = validTree();
  for (const [id, count] of [
    ['CRUD-001', 3],
    ['CRUD-002', 2],
    ['CRUD-003', 1],
  ] as const) {
    const file = `src/scenarios/crud/${id.toLowerCase()}-${id === 'CRUD-002' ? 'update' : 'x'}.ts`;
    const names = Array.from({ length: count }, (_, index) =>
      id === 'CRUD-002' && index === 0 ? 'update fails on demand' : `${id} scenario ${index}`,
    );
    files[`plan/capabilities/crud/${id}-x.md`] = capability({
      id,
      domain: 'crud',
      codeRefs: ['code/hub.ts'],
      testRefs: names.map((name) => `${file}::${name}`),
    });
    files[file] = scenarioModule(
      names.map((name) => ({
        capability: id,
        name,
        body: name.includes('on demand')
          ? "if (process.env.STK_IT_TEST_FAIL === '1') throw new Error('failing on demand');"
          : 'void context;',
      })),
    );
  }
  return files;
}

/** ms by scenario id: CRUD-001's three scenarios are the long ones. */
function timings(report: Report): Record<string, number> {
  return Object.fromEntries(
    report.scenarios.map((scenario) => [scenario.id, scenario.capability === 'CRUD-001' ? 4000 : 1000]),
  );
}

describe('shards, merge-reports, --last-failed', () => {
  let root = '';
  let remove: () => Promise<void> = async () => undefined;
  let server: Awaited<ReturnType<typeof startHealthServer>> | undefined;
  let all: Report | undefined;

  before(async () => {
    ({ root, remove } = await writeTree(tree()));
    server = await startHealthServer();
  });
  after(async () => {
    await server?.close();
    await remove();
  });

  const run = async (outputDir: string, args: readonly string[], env: NodeJS.ProcessEnv = {}) => {
    const url = server?.url ?? '';
    const stack = [
      '--stack',
      'external',
      '--hub-url',
      url,
      '--bridge-url',
      url,
      '--database-url',
      'postgres://nobody@127.0.0.1:9/postgres',
    ];
    const result = await runCli(
      ['--root', root, ...stack, '--reporter', 'json', '--output-dir', join(root, outputDir), ...args],
      { cwd: root, env, timeoutMs: 120_000 },
    );
    const file = join(root, outputDir, 'results.json');
    return { ...result, report: existsSync(file) ? (JSON.parse(await readFile(file, 'utf8')) as Report) : undefined };
  };
  const merge = (...args: string[]) =>
    runCli(['merge-reports', '--root', root, ...args], {
      cwd: root,
      env: { GITHUB_STEP_SUMMARY: join(root, 'summary.md') },
    });
  const readReport = async (dir: string) =>
    JSON.parse(await readFile(join(root, dir, 'results.json'), 'utf8')) as Report;

  test('two balanced shards cover the suite once, capabilities whole, and merge into one report', async () => {
    const whole = await run('whole', []);
    assert.equal(whole.code, 0, whole.stderr);
    all = whole.report;
    await mkdir(join(root, '.santokit-it'), { recursive: true });
    await writeFile(
      join(root, '.santokit-it/timings.json'),
      JSON.stringify({ version: 1, scenarios: timings(all as Report) }),
    );
    const shards = [await run('shards/1', ['--shard', '1/2']), await run('shards/2', ['--shard', '2/2'])];
    for (const shard of shards) assert.equal(shard.code, 0, shard.stderr);
    assert.deepEqual(
      JSON.parse(await readFile(join(root, '.santokit-it/timings.json'), 'utf8')),
      { version: 1, scenarios: timings(all as Report) },
      'shards leave timings.json alone',
    );
    const [one, two] = shards.map((shard) => shard.report as Report);
    assert.deepEqual(
      [one?.shard?.index, two?.shard?.index, one?.shard?.total, one?.shard?.strategy, two?.shard?.strategy],
      [1, 2, 2, 'duration', 'duration'],
    );
    assert.equal(one?.shard?.split, two?.shard?.split, 'both shards were cut from one split');
    assert.equal(one?.catalogHash, all?.catalogHash);
    assert.match(one?.catalogHash ?? '', /^sha256:[0-9a-f]{16}$/);
    // 12 s of CRUD-001 alone against 6 scenarios of 1 s: packing puts CRUD-001 alone.
    assert.deepEqual(
      one?.capabilities.map((item) => item.id),
      ['CRUD-001'],
    );
    const ids = [...(one?.scenarios ?? []), ...(two?.scenarios ?? [])].map((scenario) => scenario.id).sort();
    assert.deepEqual(ids, (all?.scenarios ?? []).map((scenario) => scenario.id).sort());

    const merged = await merge(join(root, 'shards'), '--output-dir', join(root, 'merged'));
    assert.equal(merged.code, 0, merged.stderr);
    const report = await readReport('merged');
    assert.equal(report.status, 'passed');
    assert.equal(report.scenarios.length, all?.scenarios.length);
    assert.deepEqual(
      report.capabilities.map((item) => item.id),
      all?.capabilities.map((item) => item.id),
    );
    assert.deepEqual(report.merged?.missingShards, []);
    assert.equal(report.merged?.sources.length, 2);
    assert.match(
      await readFile(join(root, 'merged/junit.xml'), 'utf8'),
      new RegExp(`<testsuites name="santokit-it" tests="${all?.scenarios.length}" failures="0"`),
    );
    assert.ok(existsSync(join(root, 'merged/report/index.html')));
    assert.match(
      await readFile(join(root, 'merged/coverage-matrix.md'), 'utf8'),
      /\| CRUD-001 \| .* \| implemented \| `src\/scenarios\/crud\/crud-001-x\.ts::CRUD-001 scenario 0` \| passed \|/,
    );
    const summary = await readFile(join(root, 'summary.md'), 'utf8');
    assert.match(summary, /^## ✅ santokit-it: passed — 9 scenarios of 5 capabilities/m);
    assert.match(summary, /Merged from 2 reports \(1\/2, 2\/2\)/);
    assert.match(summary, /^\| ✅ \| CRUD-001 \| Title of CRUD-001 \| implemented \| 3 \| passed \|/m);
  });

  test('merge-reports refuses a shard given twice, another catalog, and fails on a missing shard', async () => {
    await mkdir(join(root, 'copy'), { recursive: true });
    await writeFile(join(root, 'copy/results.json'), await readFile(join(root, 'shards/1/results.json')));
    const twice = await merge(join(root, 'shards'), join(root, 'copy'), '--output-dir', join(root, 'refused'));
    assert.equal(twice.code, 2);
    assert.match(
      twice.stderr,
      /overlapping shards: 1\/2 is both '.*shards\/1\/results\.json' and '.*copy\/results\.json'/,
    );
    const again = await merge(join(root, 'shards/1'), join(root, 'whole'), '--output-dir', join(root, 'refused'));
    assert.equal(again.code, 2);
    assert.match(again.stderr, /is a whole run, the others are shards/);
    const other = await readReport('shards/2');
    await mkdir(join(root, 'other'), { recursive: true });
    await writeFile(
      join(root, 'other/results.json'),
      JSON.stringify({ ...other, catalogHash: 'sha256:0000000000000000' }),
    );
    const foreign = await merge(join(root, 'shards/1'), join(root, 'other'), '--output-dir', join(root, 'refused'));
    assert.equal(foreign.code, 2);
    assert.match(foreign.stderr, /different catalogs/);
    await writeFile(
      join(root, 'other/results.json'),
      JSON.stringify({ ...other, shard: { ...other.shard, split: 'sha256:1111111111111111' } }),
    );
    const recut = await merge(join(root, 'shards/1'), join(root, 'other'), '--output-dir', join(root, 'refused'));
    assert.equal(recut.code, 2);
    assert.match(recut.stderr, /the shards were cut differently \(from different selections or durations\)/);
    assert.equal(existsSync(join(root, 'refused')), false, 'a refused merge writes nothing');
    const half = await merge(join(root, 'shards/1'), '--output-dir', join(root, 'half'));
    assert.equal(half.code, 1);
    const report = await readReport('half');
    assert.deepEqual([report.status, report.merged?.missingShards], ['failed', [2]]);
  });

  test('without timings the split is by id, and says so', async () => {
    const file = join(root, '.santokit-it/timings.json');
    const saved = await readFile(file, 'utf8');
    await rm(file);
    try {
      const list = await runCli(['list', '--root', root, '--shard', '1/2', '--format', 'json'], { cwd: root });
      assert.equal(list.code, 0, list.stderr);
      const json = JSON.parse(list.stdout) as {
        shard: { strategy: string };
        notes: string[];
        scenarios: { capability: string }[];
      };
      assert.equal(json.shard.strategy, 'id');
      assert.match(json.notes.join('\n'), /--shard 1\/2: \d+ scenarios of 9, by scenario id \(no timings recorded\)/);
    } finally {
      await writeFile(file, saved);
    }
  });

  test('--last-failed reruns what failed until it passes; with nothing failed it runs nothing', async () => {
    const failing = await run('fail', ['--reporter', 'github'], {
      STK_IT_TEST_FAIL: '1',
      GITHUB_STEP_SUMMARY: join(root, 'run-summary.md'),
    });
    assert.equal(failing.code, 1, failing.stderr);
    assert.match(
      await readFile(join(root, 'run-summary.md'), 'utf8'),
      new RegExp(
        `^- ❌ \\*\\*CRUD-002\\*\\* › update fails on demand \\(\`src/scenarios/crud/crud-002-update\\.ts:\\d+\`\\): failing on demand$`,
        'm',
      ),
    );
    const listed = await runCli(['list', '--root', root, '--last-failed', '--format', 'json'], { cwd: root });
    assert.equal(listed.code, 0, listed.stderr);
    assert.deepEqual(
      (JSON.parse(listed.stdout) as Report).scenarios.map((scenario) => scenario.id),
      [FAILING],
    );
    const rerun = await run('rerun', ['--last-failed']);
    assert.equal(rerun.code, 0, rerun.stderr);
    assert.deepEqual(
      rerun.report?.scenarios.map((scenario) => [scenario.id, scenario.outcome]),
      [[FAILING, 'passed']],
    );
    const nothing = await run('nothing', ['--last-failed', '--reporter', 'list']);
    assert.equal(nothing.code, 0, nothing.stderr);
    assert.match(nothing.stderr, /--last-failed: no scenario failed or was flaky \(last run [^)]+\): nothing to run/);
    assert.deepEqual(nothing.report?.scenarios, []);
  });
});
