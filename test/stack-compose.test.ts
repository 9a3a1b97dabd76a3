/**
 * The compose provider for real: a Docker engine, docker-compose.yaml, and
 * either the fake services (override file) or the reference stack. Skipped,
 * saying why, when no engine answers (.ci/docker-setup.sh makes one).
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import pg from 'pg';
import { StackStartError } from '../src/errors.ts';
import { createStackProvider, createTeardownStack, type StackOptions, type TeardownStack } from '../src/stack/index.ts';
import { httpStatus } from '../src/stack/probes/http-probe.ts';
import { sweepLeftovers } from '../src/stack/leftovers.ts';
import { dockerEngineAvailable } from '../src/stack/providers/compose-cli.ts';
import { referenceImageTag } from '../src/stack/providers/reference-image.ts';
import { FAKE_SERVICE } from './fixtures/services/fake.ts';

const REPO = join(import.meta.dirname, '..');
const FAKE_OVERRIDE = 'test/fixtures/services/compose.fake.yaml';
// The reaper image cannot be pulled without a registry (CI sets this too).
process.env.TESTCONTAINERS_RYUK_DISABLED ??= 'true';
const engine = await dockerEngineAvailable();
const skip = engine ? false : 'no Docker engine answers `docker info` (run .ci/docker-setup.sh as root to make one)';
const hasReference = existsSync(join(REPO, 'reference', 'hub', 'main.ts'));

function projectLeftovers(project: string): string[] {
  const list = (args: string[]) => execFileSync('docker', args, { encoding: 'utf8' }).split('\n').filter(Boolean);
  const label = `label=com.docker.compose.project=${project}`;
  return [
    ...list(['ps', '-aq', '--filter', label]).map((id) => `container ${id}`),
    ...list(['volume', 'ls', '-q', '--filter', label]).map((id) => `volume ${id}`),
    ...list(['network', 'ls', '-q', '--filter', label]).map((id) => `network ${id}`),
  ];
}

let outputDir = '';
const allTeardowns: TeardownStack[] = [];
before(async () => {
  outputDir = await mkdtemp(join(tmpdir(), 'stk-it-compose-test-'));
});
after(async () => {
  for (const teardowns of allTeardowns.reverse()) await teardowns.runAll();
  await rm(outputDir, { recursive: true, force: true });
});

function composeOptions(
  project: string,
  extra: Partial<StackOptions> = {},
  env: Record<string, string> = {},
): StackOptions {
  return {
    stack: 'compose',
    repoRoot: REPO,
    startTimeoutMs: 60_000,
    env: { ...process.env, ...env },
    compose: { build: false, files: [FAKE_OVERRIDE], projectName: project },
    ...extra,
  };
}

async function start(options: StackOptions) {
  const teardowns = createTeardownStack();
  allTeardowns.push(teardowns);
  const begin = performance.now();
  const stack = await createStackProvider(options).start({
    teardowns,
    signal: new AbortController().signal,
    outputDir,
  });
  return { stack, startMs: performance.now() - begin, teardowns };
}

describe('compose provider', { skip }, () => {
  it('brings up db, hub, bridge and cli; stk runs in cli with host paths mapped; down removes everything', async () => {
    const project = `stkittest${process.pid}a`;
    const { stack, teardowns, startMs } = await start(composeOptions(project));
    assert.equal(await httpStatus(`${stack.hubUrl}/healthz`, 2_000), 200);
    assert.equal(await httpStatus(`${stack.bridgeUrl}/healthz`, 2_000), 200);
    assert.match(stack.serviceDatabaseUrl('proj_db'), /^postgres:\/\/stk:stk@db:5432\/proj_db$/);
    const client = new pg.Client({ connectionString: stack.adminDatabaseUrl });
    await client.connect();
    await client.query('CREATE DATABASE proj_db');
    await client.end();
    const projectDb = new pg.Client({ connectionString: stack.runnerDatabaseUrl('proj_db') });
    await projectDb.connect();
    await projectDb.end();

    const projectDir = join(stack.workDir ?? '', 'demo');
    await mkdir(projectDir);
    await writeFile(join(projectDir, 'marker'), 'x');
    const ran = await stack.stk.run(['apply', '--project', 'p'], {
      cwd: projectDir,
      env: { STK_AUTH_TOKEN: 'tok' },
      input: 'hello\n',
    });
    assert.equal(ran.exitCode, 0, ran.stderr);
    assert.equal(ran.stdout, 'cwd=/stk-work/demo hub=http://hub:4000 token=tok args=apply --project p\nstdin=hello\n');
    assert.equal(ran.cwd, projectDir);
    const fixtures = await stack.stk.run([], {
      cwd: join(REPO, 'src', 'scenarios', 'fixtures'),
      env: { FAKE_STK_EXIT: '4' },
    });
    assert.equal(fixtures.exitCode, 4);
    assert.match(fixtures.stdout, /^cwd=\/fixtures /);
    await assert.rejects(stack.stk.run([], { cwd: tmpdir() }), /not visible in the cli container/);
    assert.ok(
      stack.logTails().some((tail) => tail.service === 'hub' && tail.lines.some((line) => line.includes('line 60'))),
    );

    assert.deepEqual(await teardowns.runAll(), []);
    assert.deepEqual(projectLeftovers(project), []);
    assert.equal(existsSync(stack.workDir ?? ''), false);
    console.log(`# compose start (fake services, images built): ${Math.round(startMs)} ms`);
  });

  it("a killed run's compose project is removed by the next run's sweep", async () => {
    const project = `stkittest${process.pid}k`;
    const { stack } = await start(composeOptions(project));
    assert.equal(await httpStatus(`${stack.hubUrl}/healthz`, 2_000), 200);
    assert.notDeepEqual(projectLeftovers(project), []);
    // The ledger a SIGKILLed runner would have left: its pid no longer names it (start time 1).
    const ledgers = await mkdtemp(join(tmpdir(), 'stk-it-ledgers-'));
    await writeFile(
      join(ledgers, '1.json'),
      JSON.stringify({ pid: process.pid, start: '1', groups: [], composeProjects: [project], dirs: [] }),
    );
    const summary = sweepLeftovers(ledgers);
    await rm(ledgers, { recursive: true });
    assert.equal(summary.compose, 1);
    assert.deepEqual(projectLeftovers(project), []);
  });

  it('reports a crashing hub container with its exit code and log tail, and removes the project', async () => {
    const project = `stkittest${process.pid}b`;
    const teardowns = createTeardownStack();
    allTeardowns.push(teardowns);
    const error = await createStackProvider(composeOptions(project, {}, { FAKE_HUB_MODE: 'crash' }))
      .start({ teardowns, signal: new AbortController().signal, outputDir })
      .then(
        () => assert.fail('start should fail'),
        (e: unknown) => e,
      );
    assert.ok(error instanceof StackStartError, String(error));
    assert.equal(error.failure.service, 'hub');
    assert.equal(error.failure.exitCode, 3);
    assert.match(error.failure.logTail.join('\n'), /fatal: cannot reach the database/);
    assert.deepEqual(await teardowns.runAll(), []);
    assert.deepEqual(projectLeftovers(project), []);
  });

  it('process provider with --db container: PostgreSQL in a container, removed at teardown', async () => {
    const teardowns = createTeardownStack();
    allTeardowns.push(teardowns);
    const options: StackOptions = {
      stack: 'process',
      repoRoot: REPO,
      db: 'container',
      hubBin: `${FAKE_SERVICE} --mode ok`,
      bridgeBin: `${FAKE_SERVICE} --mode ok`,
    };
    const stack = await createStackProvider(options).start({
      teardowns,
      signal: new AbortController().signal,
      outputDir,
    });
    const client = new pg.Client({ connectionString: stack.runnerDatabaseUrl('santokit_hub') });
    await client.connect();
    await client.end();
    const port = new URL(stack.adminDatabaseUrl).port;
    const containers = () =>
      execFileSync('docker', ['ps', '-aq', '--filter', `publish=${port}`], { encoding: 'utf8' }).trim();
    assert.notEqual(containers(), '');
    assert.deepEqual(await teardowns.runAll(), []);
    assert.equal(containers(), '');
  });

  it(
    'brings up the reference stack and passes a health check',
    { skip: hasReference ? false : 'reference/hub/main.ts does not exist yet' },
    async () => {
      const project = `stkittest${process.pid}c`;
      const options = composeOptions(project, { compose: { projectName: project } });
      const { stack, teardowns, startMs } = await start(options);
      assert.equal(await httpStatus(`${stack.hubUrl}/healthz`, 2_000), 200);
      assert.equal(await httpStatus(`${stack.bridgeUrl}/healthz`, 2_000), 200);
      const version = await stack.stk.run(['--help']);
      assert.notEqual(version.exitCode, 127, version.stderr);
      // An image of older reference sources, as a developer's machine collects them.
      const current = `santokit-it/reference:${referenceImageTag(REPO)}`;
      execFileSync('docker', ['tag', current, 'santokit-it/reference:src-0000stale000']);
      assert.deepEqual(await teardowns.runAll(), []);
      assert.deepEqual(projectLeftovers(project), []);
      const tags = execFileSync('docker', ['images', 'santokit-it/reference', '--format', '{{.Repository}}:{{.Tag}}'], {
        encoding: 'utf8',
      }).split('\n');
      assert.ok(tags.includes(current), 'the current image stays');
      assert.ok(!tags.includes('santokit-it/reference:src-0000stale000'), 'the stale tag is removed');
      console.log(`# compose start (reference stack, image by source hash): ${Math.round(startMs)} ms`);
    },
  );
});
