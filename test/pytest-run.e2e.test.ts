/**
 * pytest tests through the real CLI, on the embedded stack, from the fixture
 * catalog under test/fixtures/pytest-catalog (TypeScript scenarios and a
 * small harness-shaped pytest suite side by side). One run starts its own
 * stack (mixed selection, a failure's report); the others share one
 * `stack up` as `--stack external`.
 */
import assert from 'node:assert/strict';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { RunReport, ScenarioResult } from '../src/model/results.ts';
import { isProcessAlive } from '../src/stack/process-group.ts';
import { PACKAGE_ROOT } from './helpers/catalog-fixture.ts';
import { runCli, type CliResult } from './helpers/cli.ts';
import { startSharedStack, type SharedStack } from './helpers/shared-stack.ts';

mkdirSync(join(PACKAGE_ROOT, 'test/.tmp'), { recursive: true });
const work = mkdtempSync(join(PACKAGE_ROOT, 'test/.tmp/pytest-run-'));
const root = join(work, 'catalog');
cpSync(join(PACKAGE_ROOT, 'test/fixtures/pytest-catalog'), root, { recursive: true });
let runs = 0;

async function run(args: readonly string[]): Promise<{ cli: CliResult; report: RunReport; state: string }> {
  runs += 1;
  const outputDir = join(work, `out-${runs}`);
  const state = join(work, `state-${runs}`);
  mkdirSync(state, { recursive: true });
  const cli = await runCli(
    ['--root', root, '--reporter', 'list,json', '--output-dir', outputDir, '--jobs', '2', ...args],
    { env: { FIXTURE_STATE_DIR: state }, timeoutMs: 240_000 },
  );
  const report = JSON.parse(readFileSync(join(outputDir, 'results.json'), 'utf8')) as RunReport;
  return { cli, report, state };
}

function result(report: RunReport, name: string): ScenarioResult {
  const found = report.scenarios.find((scenario) => scenario.name === name);
  assert.ok(found, `${name} in ${report.scenarios.map((scenario) => scenario.name).join(', ')}`);
  return found;
}

after(() => (process.env.KEEP_PYTEST_RUN ? undefined : rmSync(work, { recursive: true, force: true })));

describe('pytest tests on the embedded stack', () => {
  it('a mixed selection runs TypeScript scenarios and pytest tests in one report; a failing test keeps its assertion, traceback, transcript, output and log lines', async () => {
    // Generous: a loaded machine runs the six stk calls of the bootstrap test slowly.
    const { cli, report } = await run(['--capability', 'OPERATOR-001,AUTH-001,CRUD-001', '--timeout', '180s']);
    assert.equal(cli.code, 1, `${cli.stdout}\n${cli.stderr}`);
    assert.deepEqual(
      report.scenarios.map((scenario) => [scenario.capability, scenario.name, scenario.outcome]).sort(),
      [
        ['AUTH-001', 'TestOperatorLogin::test_login_gives_a_token', 'passed'],
        ['CRUD-001', 'test_answer_is_a_teapot', 'failed'],
        ['OPERATOR-001', 'test_project_bootstrap', 'passed'],
        ['OPERATOR-001', 'the hub answers its health check', 'passed'],
      ],
    );
    assert.deepEqual(
      report.capabilities.map((capability) => [capability.id, capability.outcome]),
      [
        ['AUTH-001', 'passed'],
        ['CRUD-001', 'failed'],
        ['OPERATOR-001', 'passed'],
      ],
    );

    const bootstrap = result(report, 'test_project_bootstrap');
    const stk = bootstrap.transcript.filter((entry) => entry.kind === 'cli' && entry.argv[0] === 'stk');
    assert.ok(stk.length >= 5, 'every stk call is in the transcript');
    assert.ok(
      stk.every(
        (entry) => entry.kind === 'cli' && entry.exitCode === 0 && entry.cwd === join(root, 'tests/py/fixtures/basic'),
      ),
      '/workspace/... ran in the checkout',
    );
    assert.ok(
      bootstrap.transcript.some((entry) => entry.kind === 'sql' && /CREATE DATABASE/.test(entry.text)),
      'ensure_project_db made the database',
    );
    assert.ok(
      bootstrap.transcript.some((entry) => entry.kind === 'cli' && entry.argv[0] === '/bin/sh' && entry.exitCode === 0),
      'exec_run psql in the db "container"',
    );

    const failed = result(report, 'test_answer_is_a_teapot');
    assert.equal(failed.file, 'tests/py/tests/test_fail.py');
    assert.equal(failed.line, 6);
    assert.match(failed.error?.message ?? '', /assert 200 == 418/);
    assert.match(failed.error?.message ?? '', /at tests\/py\/tests\/test_fail\.py:9/);
    assert.match(failed.error?.stack ?? '', />\s+assert response\.status_code == 418/);
    assert.ok(
      failed.transcript.some((entry) => entry.kind === 'http' && entry.url.endsWith('/health') && entry.status === 200),
    );
    assert.ok(
      failed.transcript.some((entry) => entry.kind === 'note' && entry.text.includes('asking the hub for a teapot')),
      'captured stdout',
    );
    assert.ok(
      failed.logTails.some((tail) => tail.service === 'hub' && tail.lines.some((line) => line.includes('/health'))),
      'the Hub lines of the attempt',
    );
    assert.ok(failed.durationMs > 0 && failed.attempts === 1);
    assert.match(cli.stdout, /assert 200 == 418/);
  });
});

describe('pytest tests against one shared embedded stack', () => {
  let stack: SharedStack;
  before(async () => {
    stack = await startSharedStack(join(work, 'stack'));
  });
  after(async () => {
    assert.equal(await stack.stop(), 0);
  });

  it('a test that fails once and passes on retry is flaky', async () => {
    const { cli, report } = await run([...stack.flags, '--capability', 'CRUD-002', '--retries', '1']);
    assert.equal(cli.code, 0, cli.stdout);
    const flaky = result(report, 'test_passes_second_time');
    assert.equal(flaky.outcome, 'flaky');
    assert.equal(flaky.attempts, 2);
    assert.equal(flaky.passed, true);
    const earlier = 'earlierAttempts' in flaky ? flaky.earlierAttempts : undefined;
    assert.equal(earlier?.length, 1);
    assert.match(earlier?.[0]?.error?.message ?? '', /first attempt fails on purpose/);
  });

  it('a hung test is killed at --timeout with its whole process group, and reports what it did', async () => {
    const { cli, report, state } = await run([...stack.flags, '--capability', 'CRUD-003', '--timeout', '4s']);
    assert.equal(cli.code, 1, cli.stdout);
    const hung = result(report, 'test_never_returns');
    assert.equal(hung.outcome, 'failed');
    assert.equal(hung.error?.timedOut, true);
    assert.match(hung.error?.message ?? '', /timed out after 4000 ms/);
    assert.ok(
      hung.transcript.some((entry) => entry.kind === 'http' && entry.url.endsWith('/health')),
      'the exchange before the hang',
    );
    const pids = readFileSync(join(state, 'hang-pids'), 'utf8').trim().split(' ').map(Number);
    assert.equal(pids.length, 2);
    assert.deepEqual(pids.filter(isProcessAlive), [], 'pytest and the child it started are gone');
  });

  it('the baseline: a listed failure is expected, a listed pass is unexpected and names its entry, a skip entry never runs', async () => {
    const baseline = join(work, 'baseline.yaml');
    writeFileSync(
      baseline,
      [
        'tests/py/tests/test_fail.py::test_answer_is_a_teapot:',
        '  expect: fail',
        '  reason: the hub is no teapot',
        'CRUD-004:',
        '  expect: fail',
        '  reason: listed to see an unexpected pass',
        'tests/py/tests/test_hang.py::test_never_returns:',
        '  expect: skip',
        '  reason: hangs',
        '',
      ].join('\n'),
    );
    const { cli, report } = await run([
      ...stack.flags,
      '--capability',
      'CRUD-001,CRUD-003,CRUD-004',
      '--expectations',
      baseline,
    ]);
    assert.equal(cli.code, 0, cli.stdout);
    const failing = result(report, 'test_answer_is_a_teapot');
    assert.equal(failing.outcome, 'expected-failure');
    assert.deepEqual(failing.expectation, { expect: 'fail', reason: 'the hub is no teapot', file: baseline, line: 1 });
    for (const name of ['test_health_path[hub]', 'test_health_path[bridge]']) {
      assert.equal(result(report, name).outcome, 'unexpected-pass');
      assert.equal(result(report, name).expectation?.line, 4);
    }
    const skipped = result(report, 'test_never_returns');
    assert.equal(skipped.outcome, 'skipped');
    assert.equal(skipped.attempts, 0);
    assert.match(skipped.skipReason ?? '', /hangs/);
    assert.match(cli.stdout, /remove their entries/);
    assert.match(cli.stdout, new RegExp(`${baseline}:4  tests/py/tests/test_cases\\.py::test_health_path\\[hub\\]`));
  });

  it('tests selected by path: a test without a capability runs, a failing test of an in-progress capability is an expected failure', async () => {
    const { cli, report } = await run([...stack.flags, 'tests/py/tests/spec', 'tests/py/tests/test_in_progress.py']);
    assert.equal(cli.code, 0, cli.stdout);
    assert.deepEqual(
      report.scenarios.map((scenario) => [scenario.capability, scenario.name, scenario.outcome]).sort(),
      [
        ['', 'test_unknown_route_has_an_error_envelope', 'passed'],
        ['LOGICS-001', 'test_not_built_yet', 'expected-failure'],
      ],
    );
  });
});
