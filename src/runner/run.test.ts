import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { InterruptedError, StackStartError } from '../errors.ts';
import { multiplexReporters } from '../report/reporter.ts';
import { capability, scenarioModule, validTree, writeTree, type Tree } from '../../test/helpers/catalog-fixture.ts';
import { fakeStackProvider } from '../../test/helpers/fake-stack.ts';
import { runScenarios, type RunOptions } from './run.ts';

const FILE = 'src/scenarios/auth/auth-001-login.ts';

function tree(bodies: { pass: string; fail: string }): Tree {
  const base = validTree();
  base[FILE] = scenarioModule([
    { capability: 'AUTH-001', name: 'login returns a token', body: bodies.pass },
    { capability: 'AUTH-001', name: 'login refuses a bad password', body: bodies.fail },
  ]);
  return base;
}

describe('runScenarios', () => {
  const removals: (() => Promise<void>)[] = [];
  let outputDir = '';
  before(async () => void (outputDir = await mkdtemp(join(tmpdir(), 'stk-it-run-'))));
  after(async () => {
    await Promise.all(removals.map((remove) => remove()));
    await rm(outputDir, { recursive: true, force: true });
  });

  async function run(files: Tree, overrides: Partial<RunOptions> = {}, log: string[] = []) {
    const written = await writeTree(files);
    removals.push(written.remove);
    return runScenarios({
      root: written.root,
      cwd: written.root,
      filters: { fromPlan: true },
      validate: true,
      relaxedStatus: false,
      jobs: 2,
      timeoutMs: 5_000,
      retries: 0,
      bail: false,
      strict: false,
      passWithNoScenarios: false,
      outputDir,
      stackKind: 'external',
      createStack: async () => fakeStackProvider({ log }),
      verbose: false,
      reporter: multiplexReporters([]),
      signal: new AbortController().signal,
      ...overrides,
    });
  }

  test('all scenarios pass: exit 0, results in catalog order, stack torn down', async () => {
    const log: string[] = [];
    const report = await run(validTree(), {}, log);
    assert.equal(report.exitCode, 0);
    assert.equal(report.status, 'passed');
    assert.deepEqual(
      report.scenarios.map((result) => result.name),
      ['login returns a token', 'login refuses a bad password', 'bootstrap creates a release'],
    );
    assert.deepEqual(log, ['stack started', 'stack stopped']);
  });

  test('a scenario module that throws while loading: exit 2 naming its file and line; the stack that started alongside is torn down', async () => {
    const log: string[] = [];
    const files = tree({ pass: '', fail: '' });
    files[FILE] = `${files[FILE]}\nthrow new Error('boom at load');\n`;
    const report = await run(files, {}, log);
    assert.equal(report.exitCode, 2);
    assert.equal(report.status, 'invalid');
    assert.match(report.error?.message ?? '', new RegExp(`^${FILE}:\\d+: cannot load scenario module: boom at load$`));
    assert.deepEqual(log, ['stack started', 'stack stopped']);
    assert.ok(report.scenarios.every((result) => result.outcome === 'skipped'));
  });

  test('an assertion failure is data: exit 1, expected/actual, transcript and log tails kept', async () => {
    const report = await run(
      tree({
        pass: '',
        fail: "context.transcript.note('calling login'); (await import('node:assert/strict')).equal(401, 200, 'status');",
      }),
    );
    assert.equal(report.exitCode, 1);
    const failed = report.scenarios.find((result) => result.outcome === 'failed');
    assert.equal(failed?.name, 'login refuses a bad password');
    assert.equal(failed?.error?.expected, '200');
    assert.equal(failed?.error?.actual, '401');
    assert.deepEqual(
      failed?.transcript.map((entry) => entry.kind),
      ['note'],
    );
    assert.equal(failed?.logTails[0]?.service, 'hub');
    assert.equal(report.capabilities.find((item) => item.id === 'AUTH-001')?.outcome, 'failed');
  });

  test('a timed-out scenario fails with timedOut set', async () => {
    const report = await run(tree({ pass: 'await new Promise(() => undefined);', fail: '' }), { timeoutMs: 100 });
    const timedOut = report.scenarios.find((result) => result.name === 'login returns a token');
    assert.equal(timedOut?.outcome, 'failed');
    assert.equal(timedOut?.error?.timedOut, true);
  });

  test('--retries: a pass on retry is flaky, never passed', async () => {
    const flaky =
      'globalThis.__tries = (globalThis.__tries ?? 0) + 1; if (globalThis.__tries < 2) throw new Error("first try fails");';
    const report = await run(tree({ pass: flaky, fail: '' }), { retries: 2 });
    const result = report.scenarios.find((item) => item.name === 'login returns a token');
    assert.equal(result?.outcome, 'flaky');
    assert.equal(result?.attempts, 2);
    assert.equal(report.exitCode, 0);
  });

  test('status-aware: a planned capability failing is expected, passing is unexpected (an error under --strict)', async () => {
    const files = validTree();
    files['plan/capabilities/auth/AUTH-002-oidc.md'] = capability({
      id: 'AUTH-002',
      domain: 'auth',
      status: 'in_progress',
      testRefs: ['src/scenarios/auth/auth-002-oidc.ts::oidc works', 'src/scenarios/auth/auth-002-oidc.ts::oidc links'],
    });
    files['src/scenarios/auth/auth-002-oidc.ts'] = scenarioModule([
      { capability: 'AUTH-002', name: 'oidc works', body: 'throw new Error("not yet");' },
      { capability: 'AUTH-002', name: 'oidc links' },
    ]);
    const report = await run(files, { filters: { capabilities: ['AUTH-002'] } });
    assert.deepEqual(
      report.scenarios.map((result) => result.outcome),
      ['expected-failure', 'unexpected-pass'],
    );
    assert.equal(report.exitCode, 0);
    const strict = await run(files, { filters: { capabilities: ['AUTH-002'] }, strict: true });
    assert.equal(strict.exitCode, 1);
  });

  test('--bail stops scheduling after the first failure; the rest are skipped', async () => {
    const report = await run(tree({ pass: 'throw new Error("no")', fail: '' }), { bail: true, jobs: 1 });
    assert.deepEqual(
      report.scenarios.map((result) => result.outcome),
      ['failed', 'skipped', 'skipped'],
    );
    assert.equal(report.scenarios[1]?.skipReason, 'bail');
  });

  test('an invalid catalog is exit 2 before any stack starts', async () => {
    const log: string[] = [];
    const files = validTree();
    files['plan/capabilities/auth/AUTH-002-oidc.md'] = (files['plan/capabilities/auth/AUTH-002-oidc.md'] ?? '').replace(
      'status: planned',
      'status: nope',
    );
    const report = await run(files, {}, log);
    assert.equal(report.exitCode, 2);
    assert.equal(report.status, 'invalid');
    assert.equal(report.validation?.ok, false);
    assert.deepEqual(log, []);
  });

  test('reporters hear onRunStart before onRunEnd on every path, an invalid catalog and nothing selected included', async () => {
    const files = validTree();
    files['plan/capabilities/auth/AUTH-002-oidc.md'] = (files['plan/capabilities/auth/AUTH-002-oidc.md'] ?? '').replace(
      'status: planned',
      'status: nope',
    );
    for (const [tree, overrides] of [
      [files, {}],
      [validTree(), { filters: { grep: 'nothing matches this' } }],
      [validTree(), {}],
    ] as const) {
      const hooks: string[] = [];
      const reporter = multiplexReporters([
        {
          onRunStart: (info) => void hooks.push(`start ${info.scenarios.length}`),
          onStackReady: () => void hooks.push('ready'),
          onRunEnd: (report) => void hooks.push(`end ${report.status}`),
        },
      ]);
      await run(tree, { ...overrides, reporter });
      assert.equal(hooks[0]?.startsWith('start '), true, hooks.join(', '));
      assert.equal(hooks.at(-1)?.startsWith('end '), true, hooks.join(', '));
    }
  });

  test('a stack that fails to start: exit 3, the failure and log tail in the report, teardown ran', async () => {
    const log: string[] = [];
    const failure = new StackStartError('hub did not become ready', {
      service: 'hub',
      waitedFor: 'GET /healthz → 200',
      exitCode: 1,
      logTail: ['boom: port in use'],
    });
    const report = await run(
      validTree(),
      { createStack: async () => fakeStackProvider({ log, failWith: failure }) },
      log,
    );
    assert.equal(report.exitCode, 3);
    assert.equal(report.status, 'stack-failed');
    assert.deepEqual(report.stack?.failure?.logTail, ['boom: port in use']);
    assert.deepEqual(log, ['stack started', 'stack stopped']);
  });

  test('an interrupt mid-scenario: exit 130, unfinished scenarios skipped, teardown ran', async () => {
    const log: string[] = [];
    const controller = new AbortController();
    const files = tree({ pass: '', fail: 'await new Promise(() => undefined);' });
    setTimeout(() => controller.abort(new InterruptedError('SIGINT')), 300);
    const report = await run(files, { signal: controller.signal, jobs: 1 }, log);
    assert.equal(report.exitCode, 130);
    assert.equal(report.status, 'interrupted');
    assert.deepEqual(log, ['stack started', 'stack stopped']);
    assert.ok(report.scenarios.some((result) => result.outcome === 'skipped'));
  });

  test('nothing selected is exit 2 unless passWithNoScenarios', async () => {
    const none = await run(validTree(), { filters: { grep: 'nothing matches this' } });
    assert.equal(none.exitCode, 2);
    const allowed = await run(validTree(), { filters: { grep: 'nothing matches this' }, passWithNoScenarios: true });
    assert.equal(allowed.exitCode, 0);
  });
});
