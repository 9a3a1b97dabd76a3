/** `npm run mutate`'s coverage guidance: the preload, the map, the lookup, the cache key and the journal status. */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { once } from 'node:events';
import { test } from 'node:test';
import { pathToFileURL } from 'node:url';
import {
  capabilitiesFor,
  coverageCache,
  coverageKey,
  executedIds,
  guidedStatus,
  mutantIdsKey,
  readCoverageCache,
  readCoverageForReport,
  readCoverageDir,
  scenarioSourcesHash,
} from '../scripts/mutate/coverage-map.js';
import { strykerPlugins } from '../scripts/mutate/journal-reporter.js';
import { PACKAGE_ROOT } from './helpers/catalog-fixture.ts';

async function withDir(run: (dir: string) => void | Promise<void>): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'mutate-coverage-'));
  try {
    await run(dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

interface Mutant {
  id: string;
  mutatorName: string;
  replacement: string;
  location: { start: { line: number; column: number }; end: { line: number; column: number } };
  status: string;
}
interface JournalReporter {
  onMutationTestingPlanReady(event: { mutantPlans: { plan: string; mutant: Mutant }[] }): void;
  onMutantTested(result: Mutant): void;
}

const RUNS = {
  'AUTH-001': { seconds: 10, processes: 3, ids: ['0', '2', '10'] },
  'AUTH-003': { seconds: 5.5, processes: 2, ids: ['2'] },
  'OPERATOR-002': { seconds: 4, processes: 2, ids: [] },
};
const CLAIMING = ['AUTH-001', 'AUTH-003', 'OPERATOR-002'];

test('executed ids: static and per-test counts above zero, in any process', async () => {
  const ids = executedIds({ static: { '1': 3, '2': 0 }, perTest: { all: { '4': 1, '5': 0 } } });
  assert.deepEqual([...ids].sort(), ['1', '4']);
  assert.deepEqual([...executedIds(null)], []);
  await withDir((dir) => {
    writeFileSync(join(dir, '11.json'), JSON.stringify({ entry: 'hub', coverage: { static: { '10': 1, '2': 4 } } }));
    writeFileSync(join(dir, '12.json'), JSON.stringify({ entry: 'santokit-it', coverage: null }));
    writeFileSync(join(dir, '13.json'), JSON.stringify({ entry: 'stk', coverage: { static: { '2': 1, '9': 1 } } }));
    writeFileSync(join(dir, '14.json'), '{"entry": "cut sh');
    assert.deepEqual(readCoverageDir(dir), { processes: 3, ids: ['2', '9', '10'] });
    assert.deepEqual(readCoverageDir(join(dir, 'none')), { processes: 0, ids: [] });
  });
});

test('the map and the lookup: a mutant runs the claiming capabilities that executed it, or none', () => {
  const cache = coverageCache({ key: 'k', file: 'reference/bridge/credentials.ts', runs: RUNS });
  assert.deepEqual(cache.mutants, { '0': ['AUTH-001'], '2': ['AUTH-001', 'AUTH-003'], '10': ['AUTH-001'] });
  assert.equal(cache.seconds, 19.5);
  assert.deepEqual(cache.capabilities['AUTH-003'], { seconds: 5.5, processes: 2, executed: 1 });
  assert.deepEqual(capabilitiesFor(cache, '2', CLAIMING), ['AUTH-001', 'AUTH-003']);
  assert.deepEqual(capabilitiesFor(cache, '10', CLAIMING), ['AUTH-001']);
  assert.deepEqual(capabilitiesFor(cache, '7', CLAIMING), [], 'executed by no capability');
  assert.deepEqual(capabilitiesFor(cache, '2', ['AUTH-003']), ['AUTH-003'], 'a capability that no longer claims it');
  assert.deepEqual(capabilitiesFor(undefined, '7', CLAIMING), CLAIMING, 'no coverage: every claiming one');
});

test('journal status: a survivor no capability ran is NoCoverage; what ran keeps its status', () => {
  assert.equal(guidedStatus('Survived', []), 'NoCoverage');
  assert.equal(guidedStatus('Survived', ['AUTH-001']), 'Survived');
  assert.equal(guidedStatus('Killed', ['AUTH-001']), 'Killed');
  assert.equal(guidedStatus('RuntimeError', []), 'RuntimeError');
});

test('cache key: changes with the source, the scenario sources, the reference and the settings; a cache of another key is not read', async () => {
  const base = { source: 'const a = 1;', scenarioHash: 'h1', settings: '9.5.0' };
  const key = coverageKey(base);
  assert.equal(coverageKey({ ...base }), key);
  for (const change of [{ source: 'const a = 2;' }, { scenarioHash: 'h2' }, { settings: '9.6.0' }])
    assert.notEqual(coverageKey({ ...base, ...change }), key, JSON.stringify(change));
  await withDir((root) => {
    mkdirSync(join(root, 'src/scenarios/auth'), { recursive: true });
    mkdirSync(join(root, 'plan/capabilities/auth'), { recursive: true });
    writeFileSync(join(root, 'src/scenarios/auth/a.ts'), 'one');
    writeFileSync(join(root, 'plan/capabilities/auth/AUTH-001.yaml'), 'code_refs: []');
    const first = scenarioSourcesHash(root);
    writeFileSync(join(root, 'README.md'), 'not a scenario source');
    assert.equal(scenarioSourcesHash(root), first);
    writeFileSync(join(root, 'plan/capabilities/auth/AUTH-001.yaml'), 'code_refs: [reference/hub/crypto.ts]');
    assert.notEqual(scenarioSourcesHash(root), first, 'a code_refs edit');
    const second = scenarioSourcesHash(root);
    writeFileSync(join(root, 'src/scenarios/auth/b.ts'), '');
    assert.notEqual(scenarioSourcesHash(root), second, 'a new scenario file');
    mkdirSync(join(root, 'reference/hub'), { recursive: true });
    writeFileSync(join(root, 'reference/hub/app.test.ts'), 'a unit test');
    const third = scenarioSourcesHash(root);
    assert.notEqual(third, second);
    writeFileSync(join(root, 'reference/hub/app.test.ts'), 'another unit test');
    assert.equal(scenarioSourcesHash(root), third, "the reference's unit tests do not count");
    writeFileSync(join(root, 'reference/hub/app.ts'), 'a caller of the mutated file');
    assert.notEqual(scenarioSourcesHash(root), third, 'the reference around the file');
    const file = join(root, 'cache.json');
    writeFileSync(file, JSON.stringify(coverageCache({ key, runs: RUNS })));
    assert.equal(readCoverageCache(file, key)?.mutants['0']?.[0], 'AUTH-001');
    assert.equal(readCoverageCache(file, coverageKey({ ...base, scenarioHash: 'h2' })), undefined);
    const idsKey = mutantIdsKey({ source: base.source, settings: base.settings });
    writeFileSync(file, JSON.stringify(coverageCache({ key: 'stale', idsKey, runs: RUNS })));
    assert.equal(readCoverageCache(file, key), undefined, 'the run recomputes a stale map');
    assert.deepEqual(
      readCoverageForReport(file, idsKey)?.mutants['2'],
      ['AUTH-001', 'AUTH-003'],
      'the report reads it',
    );
    assert.equal(readCoverageForReport(file, mutantIdsKey({ ...base, source: 'other code' })), undefined);
    writeFileSync(file, '{"key": "cut sh');
    assert.equal(readCoverageCache(file, key), undefined);
  });
});

test('the preload writes what a process executed when it exits through its SIGTERM handler', async () => {
  const preload = pathToFileURL(join(PACKAGE_ROOT, 'scripts/mutate/coverage-preload.js')).href;
  const service = [
    "globalThis.__stryker__ = { mutantCoverage: { static: { '3': 2 }, perTest: {} } };",
    "process.on('SIGTERM', () => setTimeout(() => process.exit(0), 10));",
    "console.log('ready'); setInterval(() => {}, 1000);",
  ].join('\n');
  await withDir(async (dir) => {
    const child = spawn(process.execPath, ['-e', service], {
      env: { ...process.env, NODE_OPTIONS: `--import=${preload}`, SANTOKIT_IT_MUTATE_COVERAGE_OUT: dir },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    await once(child.stdout, 'data');
    child.kill('SIGTERM');
    const [code] = await once(child, 'exit');
    assert.equal(code, 0);
    const written = JSON.parse(readFileSync(join(dir, `${child.pid}.json`), 'utf8'));
    assert.deepEqual(written.coverage, { static: { '3': 2 }, perTest: {} });
    assert.deepEqual(readCoverageDir(dir).ids, ['3']);
  });
});

test('journal reporter: only mutants Stryker runs now, with the capabilities that ran and NoCoverage for none', async () => {
  await withDir((dir) => {
    const cacheFile = join(dir, 'cache.json');
    const journal = join(dir, 'journal.jsonl');
    writeFileSync(cacheFile, JSON.stringify(coverageCache({ key: 'k1', runs: RUNS })));
    const saved = { ...process.env };
    Object.assign(process.env, {
      SANTOKIT_IT_MUTATE_JOURNAL: journal,
      SANTOKIT_IT_MUTATE_CAPABILITIES: CLAIMING.join(','),
      SANTOKIT_IT_MUTATE_COVERAGE: cacheFile,
      SANTOKIT_IT_MUTATE_COVERAGE_KEY: 'k1',
    });
    try {
      const Reporter = (strykerPlugins[0] as { injectableClass: new () => JournalReporter }).injectableClass;
      const reporter = new Reporter();
      const mutant = (id: string, status: string): Mutant => ({
        id,
        mutatorName: 'EqualityOperator',
        replacement: 'a >= b',
        location: { start: { line: 3, column: 5 }, end: { line: 3, column: 11 } },
        status,
      });
      const printed: string[] = [];
      const stderr = process.stderr.write;
      process.stderr.write = (text: string | Uint8Array) => printed.push(String(text)) > 0;
      try {
        reporter.onMutationTestingPlanReady({
          mutantPlans: [
            { plan: 'EarlyResult', mutant: mutant('0', 'Killed') },
            { plan: 'Run', mutant: mutant('2', '') },
            { plan: 'Run', mutant: mutant('7', '') },
          ],
        });
        for (const [id, status] of [
          ['0', 'Killed'],
          ['2', 'Killed'],
          ['7', 'Survived'],
        ] as const)
          reporter.onMutantTested(mutant(id, status));
      } finally {
        process.stderr.write = stderr;
      }
      assert.match(printed[0] ?? '', /coverage pass \(19\.5 s\): 3 of 3 mutants executed; per capability AUTH-001 3/);
      assert.match(printed.at(-1) ?? '', /#2 NoCoverage 3:5 .*not executed by any claiming capability/);
      const lines = readFileSync(journal, 'utf8')
        .trim()
        .split('\n')
        .map((line) => JSON.parse(line));
      assert.deepEqual(
        lines.map((line) => [line.id, line.status, line.capabilities]),
        [
          ['2', 'Killed', ['AUTH-001', 'AUTH-003']],
          ['7', 'NoCoverage', []],
        ],
      );
    } finally {
      for (const name of Object.keys(process.env)) if (!(name in saved)) delete process.env[name];
    }
  });
});
