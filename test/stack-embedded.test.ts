/**
 * The embedded, process and external providers against fake Hub/Bridge
 * services and a real embedded PostgreSQL: start, health, stk, failures with
 * log tails, interrupts at several points, and nothing left behind.
 */
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import pg from 'pg';
import { StackStartError } from '../src/errors.ts';
import {
  createStackProvider,
  createTeardownStack,
  type CommandLine,
  type StackHandles,
  type StackOptions,
  type TeardownStack,
} from '../src/stack/index.ts';
import { httpStatus } from '../src/stack/probes/http-probe.ts';
import { descendants, footprintOf, leftovers } from './helpers/leftovers.ts';
import { FAKE_SERVICE, fakeArgs, type FakeMode, type FakeOptions } from './fixtures/services/fake.ts';

const REPO = join(import.meta.dirname, '..');
const fake = (mode: FakeMode, options: FakeOptions = {}): CommandLine => ({
  command: process.execPath,
  args: fakeArgs(mode, options),
});
const fakeStk: CommandLine = {
  command: process.execPath,
  args: [
    '-e',
    'console.log(JSON.stringify({ hub: process.env.STK_HUB_URL, args: process.argv.slice(1), cwd: process.cwd() }))',
  ],
};

let outputDir = '';
const allTeardowns: TeardownStack[] = [];
before(async () => {
  outputDir = await mkdtemp(join(tmpdir(), 'stk-it-stack-test-'));
});
after(async () => {
  // A failed assertion must not leave a stack running (and the test process waiting on it).
  for (const teardowns of allTeardowns.reverse()) await teardowns.runAll();
  await rm(outputDir, { recursive: true, force: true });
});

/** `pid: command line`, so a stray process in a failure message says what it is. */
function describePid(pid: number): string {
  try {
    return `${pid}: ${readFileSync(`/proc/${pid}/cmdline`, 'utf8').replaceAll('\0', ' ').trim()}`;
  } catch {
    return `${pid}: (gone)`;
  }
}

function embedded(services: StackOptions['services'], extra: Partial<StackOptions> = {}): StackOptions {
  return {
    stack: 'embedded',
    repoRoot: REPO,
    services: { stk: fakeStk, ...services },
    startTimeoutMs: 5_000,
    ...extra,
  };
}

/** Starts a provider; `stop()` runs the teardowns and returns what they left behind. */
async function start(
  options: StackOptions,
  signal = new AbortController().signal,
  onServiceLine?: (service: string, line: string) => void,
) {
  const teardowns = createTeardownStack();
  allTeardowns.push(teardowns);
  const baseline = descendants();
  const begin = performance.now();
  const started = createStackProvider(options).start({
    teardowns,
    signal,
    outputDir,
    ...(onServiceLine ? { onServiceLine } : {}),
  });
  const stop = async (footprintSource?: StackHandles) => {
    const footprint = footprintSource ? await footprintOf(footprintSource, baseline) : undefined;
    assert.deepEqual(await teardowns.runAll(), []);
    const pids = [...descendants()].filter((pid) => !baseline.has(pid));
    return { left: footprint ? await leftovers(footprint) : [], strayPids: pids.map(describePid) };
  };
  return { started, stop, startMs: () => performance.now() - begin };
}

describe('embedded provider (fake Hub and Bridge)', () => {
  it('starts Postgres, Hub and Bridge, runs stk, and leaves nothing behind', async () => {
    const run = await start(embedded({ hub: fake('slow', { delayMs: 200, child: true }), bridge: fake('ok') }));
    const stack = await run.started;
    assert.equal(stack.kind, 'embedded');
    assert.equal(await httpStatus(`${stack.hubUrl}/healthz`, 1_000), 200);
    assert.equal(await httpStatus(`${stack.bridgeUrl}/readyz`, 1_000), 200);
    assert.notEqual(stack.runnerDatabaseUrl('p1'), stack.adminDatabaseUrl);
    assert.equal(stack.serviceDatabaseUrl('p1'), stack.runnerDatabaseUrl('p1'));
    const result = await stack.stk.run(['project', 'create', 'demo'], { cwd: stack.workDir });
    assert.equal(result.exitCode, 0, result.stderr);
    assert.deepEqual(JSON.parse(result.stdout), {
      hub: stack.hubUrl,
      args: ['project', 'create', 'demo'],
      cwd: stack.workDir,
    });
    assert.deepEqual(
      stack.logTails().map((tail) => tail.service),
      ['postgres', 'hub', 'bridge', 'idp', 'objectstore'],
    );
    assert.ok(
      stack
        .logTails()
        .some((tail) => tail.service === 'hub' && tail.lines.some((line) => line.includes('fake listening'))),
    );
    assert.match(await readFile(join(outputDir, 'logs', 'postgres.log'), 'utf8'), /ready to accept connections/);
    const { left, strayPids } = await run.stop(stack);
    assert.deepEqual(left, []);
    assert.deepEqual(strayPids, []);
  });

  it('fails with exit 3, the service, what it waited for and its log tail when the Hub crashes', async () => {
    const run = await start(embedded({ hub: fake('crash', { lines: 80 }), bridge: fake('ok', { child: true }) }));
    const error = await run.started.then(
      () => assert.fail('start should fail'),
      (e: unknown) => e,
    );
    assert.ok(error instanceof StackStartError, String(error));
    assert.equal(error.exitCode, 3);
    assert.equal(error.failure.service, 'hub');
    assert.match(error.failure.waitedFor, /^GET http:\/\/127\.0\.0\.1:\d+\/healthz → 200$/);
    assert.equal(error.failure.exitCode, 3);
    assert.equal(error.failure.logTail.length, 50);
    assert.match(error.failure.logTail.at(-1) ?? '', /fatal: cannot reach the database/);
    const { strayPids } = await run.stop();
    assert.deepEqual(strayPids, []);
  });

  for (const point of ['postgres', 'hub'] as const) {
    it(`is interrupted cleanly during the ${point} start`, async () => {
      const controller = new AbortController();
      const interruptAt = point === 'postgres' ? /starting PostgreSQL/ : /warming up/;
      const dirs = new Set<string>();
      const ports = new Set<number>();
      const onLine = (service: string, line: string) => {
        for (const match of line.matchAll(/\/\S*santokit-it-pg-\w+/g)) dirs.add(match[0]);
        const port = /listening on IPv4 address "127\.0\.0\.1", port (\d+)/.exec(line);
        if (port) ports.add(Number(port[1]));
        if (service.startsWith(point) && interruptAt.test(line)) controller.abort(new Error(`SIGINT during ${point}`));
      };
      const run = await start(
        embedded({ hub: fake('slow', { delayMs: 30_000, child: true }), bridge: fake('ok') }),
        controller.signal,
        onLine,
      );
      await assert.rejects(run.started, new RegExp(`SIGINT during ${point}`));
      const { strayPids } = await run.stop();
      assert.deepEqual(strayPids, []);
      assert.ok(dirs.size > 0, 'the postgres output named its directory');
      assert.deepEqual([...dirs].filter(existsSync), []);
      if (point === 'hub') assert.equal(ports.size, 1, 'postgres was up when the hub start was interrupted');
      assert.deepEqual(await leftovers({ pids: [], dirs: [...dirs], ports: [...ports] }), []);
    });
  }
});

describe('process and external providers', () => {
  it('process: runs given binaries (command lines) with the upstream variables', async () => {
    const hubBin = `${FAKE_SERVICE} --mode ok`;
    const run = await start({
      stack: 'process',
      repoRoot: REPO,
      hubBin,
      bridgeBin: `${FAKE_SERVICE} --mode slow --delay 100`,
      stkBin: `${FAKE_SERVICE} --mode crash`,
      startTimeoutMs: 5_000,
    });
    const stack = await run.started;
    assert.equal(stack.kind, 'process');
    assert.equal(await httpStatus(`${stack.hubUrl}/healthz`, 1_000), 200);
    assert.equal((await stack.stk.run([])).exitCode, 3, 'stk exit codes come through');
    const { left, strayPids } = await run.stop(stack);
    assert.deepEqual(left, []);
    assert.deepEqual(strayPids, []);
  });

  it('external: probes the URLs of a running stack and starts nothing', async () => {
    const host = await start(embedded({ hub: fake('ok'), bridge: fake('ok') }));
    const running = await host.started;
    const options: StackOptions = {
      stack: 'external',
      repoRoot: REPO,
      hubUrl: `${running.hubUrl}/`,
      bridgeUrl: running.bridgeUrl,
      databaseUrl: running.adminDatabaseUrl,
    };
    const run = await start(options);
    const stack = await run.started;
    assert.equal(stack.hubUrl, running.hubUrl);
    assert.equal(stack.runnerDatabaseUrl('x'), running.runnerDatabaseUrl('x'));
    const workDir = stack.workDir ?? '';
    const { strayPids } = await run.stop();
    assert.deepEqual(strayPids, []);
    assert.equal(existsSync(workDir), false);
    assert.equal(await httpStatus(`${running.hubUrl}/healthz`, 1_000), 200, 'external teardown leaves the stack alone');
    assert.deepEqual((await host.stop(running)).left, []);
  });

  it('--db url: the Hub gets its own database on a shared server, dropped at teardown', async () => {
    const host = await start(embedded({ hub: fake('ok'), bridge: fake('ok') }));
    const server = await host.started;
    const hubDatabases = async () => {
      const client = new pg.Client({ connectionString: server.adminDatabaseUrl });
      await client.connect();
      const { rows } = await client.query<{ datname: string }>(
        "SELECT datname FROM pg_database WHERE datname LIKE 'santokit_hub_%'",
      );
      await client.end();
      return rows.map((row) => row.datname);
    };
    const run = await start(
      embedded({ hub: fake('ok'), bridge: fake('ok') }, { db: 'url', databaseUrl: server.adminDatabaseUrl }),
    );
    const stack = await run.started;
    assert.equal(stack.adminDatabaseUrl, server.adminDatabaseUrl);
    assert.equal((await hubDatabases()).length, 1);
    await run.stop();
    assert.deepEqual(await hubDatabases(), []);
    assert.deepEqual((await host.stop(server)).left, []);
  });

  it('external: a stack that is not there fails with exit 3 after the deadline', async () => {
    const options: StackOptions = {
      stack: 'external',
      repoRoot: REPO,
      hubUrl: 'http://127.0.0.1:9',
      bridgeUrl: 'http://127.0.0.1:9',
      databaseUrl: 'postgres://x@127.0.0.1:9/x',
      startTimeoutMs: 300,
    };
    const run = await start(options);
    await assert.rejects(run.started, (error: unknown) => {
      assert.ok(error instanceof StackStartError);
      assert.match(
        error.message,
        /was not ready within 300 ms: waited for GET http:\/\/127\.0\.0\.1:9\/healthz → 200 \(is the external stack up\?\)/,
      );
      assert.ok(error.failure.logTail.includes('last answer: no response'));
      return true;
    });
    await run.stop();
  });
});

const hasReference =
  existsSync(join(REPO, 'reference', 'hub', 'main.ts')) && existsSync(join(REPO, 'reference', 'bridge', 'main.ts'));
const noReference = hasReference ? false : 'reference/hub/main.ts or reference/bridge/main.ts does not exist yet';

describe('the reference stack', { skip: noReference }, () => {
  it('embedded: comes up and passes its health checks; operator login works', async () => {
    const run = await start({ stack: 'embedded', repoRoot: REPO });
    const stack = await run.started;
    console.log(`# embedded reference stack ready in ${Math.round(run.startMs())} ms`);
    for (const url of [`${stack.hubUrl}/healthz`, `${stack.hubUrl}/readyz`, `${stack.bridgeUrl}/healthz`])
      assert.equal(await httpStatus(url, 2_000), 200, url);
    const login = await fetch(`${stack.hubUrl}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(stack.operator),
    });
    assert.equal(login.status, 200, await login.clone().text());
    const help = await stack.stk.run(['--help']);
    assert.notEqual(help.exitCode, 127, help.stderr);
    const { left, strayPids } = await run.stop(stack);
    assert.deepEqual(left, []);
    assert.deepEqual(strayPids, []);
  });

  it('process: the reference binaries given as --hub-bin/--bridge-bin/--stk-bin', async () => {
    const options: StackOptions = {
      stack: 'process',
      repoRoot: REPO,
      hubBin: join(REPO, 'reference', 'hub', 'main.ts'),
      bridgeBin: join(REPO, 'reference', 'bridge', 'main.ts'),
      stkBin: join(REPO, 'reference', 'stk', 'bin', 'stk.js'),
    };
    const run = await start(options);
    const stack = await run.started;
    assert.equal(await httpStatus(`${stack.hubUrl}/healthz`, 2_000), 200);
    assert.equal(await httpStatus(`${stack.bridgeUrl}/healthz`, 2_000), 200);
    assert.deepEqual((await run.stop(stack)).left, []);
  });
});
