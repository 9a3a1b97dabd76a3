/**
 * The one path no teardown covers: the runner SIGKILLed while its embedded
 * stack is up. The services outlive it (they lead their own process groups);
 * the next `stack up` finds its ledger, stops them and removes their temp
 * dirs, and says so. Checked for real: processes, ports, dirs, the ledger.
 */
import assert from 'node:assert/strict';
import { execFileSync, spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { chmod, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import pg from 'pg';
import { createTeardownStack } from '../src/stack/index.ts';
import { serverOf } from '../src/stack/postgres/database-now.ts';
import { startEmbeddedPostgres } from '../src/stack/postgres/embedded-postgres.ts';
import { isPortFree } from '../src/stack/ports.ts';
import { dockerEngineAvailable } from '../src/stack/providers/compose-cli.ts';
import { isProcessAlive, treeMembers } from '../src/stack/process-group.ts';

const BIN = join(import.meta.dirname, '..', 'bin', 'santokit-it.js');
// The reaper image cannot be pulled without a registry (CI sets this too); the sweep must do its job instead.
process.env.TESTCONTAINERS_RYUK_DISABLED ??= 'true';
const noDocker = (await dockerEngineAvailable())
  ? false
  : 'no Docker engine answers `docker info` (run .ci/docker-setup.sh as root to make one)';
const DEADLINE_MS = 60_000;

// A private TMPDIR: this run's ledger folder and work dirs, out of reach of any other test's sweep.
let privateTmp = '';
before(async () => {
  privateTmp = await mkdtemp(join(tmpdir(), 'stk-it-leftovers-'));
  // Run as root, the cluster belongs to a postgres user, which must reach the initdb cache in here.
  await chmod(privateTmp, 0o755);
});
const started: ChildProcessWithoutNullStreams[] = [];
after(async () => {
  // A failed assertion must not leave a stack behind (nor keep the test process alive).
  for (const child of started) child.kill('SIGINT');
  await Promise.all(started.map(ended));
  await rm(privateTmp, { recursive: true, force: true });
});

interface StackUp {
  readonly child: ChildProcessWithoutNullStreams;
  readonly info: { hubUrl: string; bridgeUrl: string; idp: { url: string } };
  readonly stderr: () => string;
}

/** Starts `stack up --format json` and resolves with its JSON line once the stack is ready. */
function stackUp(extra: readonly string[] = []): Promise<StackUp> {
  const args = [
    BIN,
    'stack',
    'up',
    '--format',
    'json',
    '--output-dir',
    join(privateTmp, 'out'),
    '--no-color',
    ...extra,
  ];
  const child = spawn(process.execPath, args, { env: { ...process.env, TMPDIR: privateTmp } });
  started.push(child);
  let stdout = '';
  let stderr = '';
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => void (stderr += chunk));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`stack up did not print its JSON line within ${DEADLINE_MS} ms\n${stderr}`));
    }, DEADLINE_MS);
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      stdout += chunk;
      if (!stdout.includes('\n')) return;
      clearTimeout(timer);
      resolve({ child, info: JSON.parse(stdout.split('\n')[0] ?? ''), stderr: () => stderr });
    });
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`stack up exited ${code} before it was ready\n${stderr}`));
    });
  });
}

function ended(child: ChildProcessWithoutNullStreams): Promise<number | null> {
  return child.exitCode !== null || child.signalCode !== null
    ? Promise.resolve(child.exitCode)
    : new Promise((resolve) => child.on('close', resolve));
}

async function answers(url: string): Promise<boolean> {
  try {
    await fetch(`${url}/healthz`, { signal: AbortSignal.timeout(5_000) });
    return true;
  } catch {
    return false;
  }
}

const portOf = (url: string) => Number(new URL(url).port);

interface LedgerView {
  readonly groups: readonly { readonly pgid: number }[];
  readonly containers: readonly string[];
  readonly dirs: readonly string[];
}

/** The runner's ledger (resources.ts writes it), by kind. */
function readLedger(file: string): LedgerView {
  const { resources } = JSON.parse(readFileSync(file, 'utf8')) as {
    resources: { kind: string; pgid?: number; name?: string; path?: string }[];
  };
  return {
    groups: resources.flatMap((entry) =>
      entry.kind === 'group' && entry.pgid !== undefined ? [{ pgid: entry.pgid }] : [],
    ),
    containers: resources.flatMap((entry) => (entry.kind === 'container' && entry.name ? [entry.name] : [])),
    dirs: resources.flatMap((entry) => (entry.kind === 'dir' && entry.path ? [entry.path] : [])),
  };
}

describe('a SIGKILLed run', () => {
  it('leaves its services running, and the next stack start stops them and removes their dirs', async () => {
    const first = await stackUp();
    const ledgerFile = join(privateTmp, `santokit-it-runs-${process.getuid?.() ?? 'user'}`, `${first.child.pid}.json`);
    const ledger = readLedger(ledgerFile);
    // initdb may be recorded too (no template cache in a fresh TMPDIR); it has exited by now.
    const live = ledger.groups.filter((group) => isProcessAlive(group.pgid));
    assert.equal(live.length, 5, 'postgres, hub, bridge, idp and the object store are recorded');
    assert.ok(ledger.dirs.filter(existsSync).length >= 2, 'the cluster and work dirs are recorded');
    const pids = new Set(live.flatMap((group) => treeMembers(group.pgid)));
    const urls = [first.info.hubUrl, first.info.bridgeUrl, first.info.idp.url];

    first.child.kill('SIGKILL');
    await ended(first.child);
    // The leak is real: without a sweep all of this would stay.
    assert.ok([...pids].every(isProcessAlive), 'services outlive a SIGKILLed runner');
    assert.ok(await answers(first.info.hubUrl), 'the orphaned Hub still answers');

    const second = await stackUp();
    // A service that wrote to its closed stdout may have ended on its own meanwhile: at least PostgreSQL is left to stop.
    assert.match(
      second.stderr(),
      new RegExp(
        `cleaned up after a killed run \\(pid ${first.child.pid}\\): [1-5] process group\\(s\\) stopped, ${ledger.dirs.length} temp dir\\(s\\) removed`,
      ),
    );
    assert.deepEqual([...pids].filter(isProcessAlive), [], 'no process of the killed run is alive');
    assert.deepEqual(ledger.dirs.filter(existsSync), [], 'its temp dirs are gone');
    assert.equal(existsSync(ledgerFile), false, 'its ledger is gone');
    const busy = [];
    for (const url of urls) if (!(await isPortFree(portOf(url)))) busy.push(url);
    assert.deepEqual(busy, [], 'its ports are free again');

    second.child.kill('SIGINT');
    assert.equal(await ended(second.child), 0);
    assert.equal(
      existsSync(join(privateTmp, `santokit-it-runs-${process.getuid?.() ?? 'user'}`, `${second.child.pid}.json`)),
      false,
      'an orderly stop leaves no ledger',
    );
  });
});

/** `running`, `exited`, … or undefined when no container has that name. */
function containerState(name: string): string | undefined {
  const out = execFileSync('docker', ['ps', '-a', '--filter', `name=^/?${name}$`, '--format', '{{.State}}'], {
    encoding: 'utf8',
  }).trim();
  return out === '' ? undefined : out;
}

describe('a SIGKILLed run with --db container', { skip: noDocker }, () => {
  it('leaves its PostgreSQL container running, and the next stack start removes it', async () => {
    const first = await stackUp(['--db', 'container']);
    const ledger = readLedger(
      join(privateTmp, `santokit-it-runs-${process.getuid?.() ?? 'user'}`, `${first.child.pid}.json`),
    );
    assert.equal(ledger.containers.length, 1, 'the PostgreSQL container is in the ledger');
    const name = ledger.containers[0] ?? '';
    assert.equal(containerState(name), 'running');

    first.child.kill('SIGKILL');
    await ended(first.child);
    assert.equal(containerState(name), 'running', 'no reaper: the container outlives a SIGKILLed runner');

    const second = await stackUp();
    assert.match(
      second.stderr(),
      new RegExp(`cleaned up after a killed run \\(pid ${first.child.pid}\\): .*1 container\\(s\\) removed`),
    );
    assert.equal(containerState(name), undefined, 'the container is gone');
    second.child.kill('SIGINT');
    assert.equal(await ended(second.child), 0);
  });
});

/** The Hub databases (`santokit_hub_…`) on a server, by name. */
async function hubDatabases(adminUrl: string): Promise<string[]> {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    const { rows } = await client.query<{ name: string }>(
      "SELECT datname AS name FROM pg_database WHERE starts_with(datname, 'santokit_hub_') ORDER BY datname",
    );
    return rows.map((row) => row.name);
  } finally {
    await client.end();
  }
}

describe('a run with --db url (a shared server)', () => {
  // A real server stands for someone's shared one; this process owns it, so no run's sweep can touch it.
  const server = createTeardownStack();
  let adminUrl = '';
  before(async () => {
    adminUrl = (await startEmbeddedPostgres({ teardowns: server, signal: new AbortController().signal })).adminUrl;
  });
  after(() => server.runAll());
  const flags = () => ['--db', 'url', '--database-url', adminUrl];

  it('SIGKILLed, leaves its Hub database; the next start on that server drops it; a stop leaves none', async () => {
    const first = await stackUp(flags());
    const ledger = readFileSync(
      join(privateTmp, `santokit-it-runs-${process.getuid?.() ?? 'user'}`, `${first.child.pid}.json`),
      'utf8',
    );
    assert.ok(!ledger.includes(new URL(adminUrl).password), 'the ledger holds no password');
    const listed = (JSON.parse(ledger) as { resources: { kind: string; server?: string; name?: string }[] }).resources;
    const databases = listed.filter((entry) => entry.kind === 'database');
    assert.deepEqual(
      databases.map((entry) => entry.server),
      [serverOf(adminUrl)],
    );
    const name = databases[0]?.name ?? '';
    assert.deepEqual(await hubDatabases(adminUrl), [name]);

    first.child.kill('SIGKILL');
    await ended(first.child);
    assert.deepEqual(await hubDatabases(adminUrl), [name], 'the database outlives a SIGKILLed runner');

    const second = await stackUp(flags());
    assert.match(
      second.stderr(),
      new RegExp(`cleaned up after a killed run \\(pid ${first.child.pid}\\): .*1 database\\(s\\) dropped`),
    );
    const now = await hubDatabases(adminUrl);
    assert.equal(now.length, 1, 'only the second run has a Hub database');
    assert.ok(!now.includes(name), "the killed run's database is dropped");
    second.child.kill('SIGINT');
    assert.equal(await ended(second.child), 0);
    assert.deepEqual(await hubDatabases(adminUrl), [], 'an orderly stop drops its database');
  });

  it('stopped by a second Ctrl-C, drops its Hub database before it exits', async () => {
    const before = new Set(await hubDatabases(adminUrl));
    const run = await stackUp(flags());
    const own = (await hubDatabases(adminUrl)).filter((name) => !before.has(name));
    assert.equal(own.length, 1);
    run.child.kill('SIGINT');
    // The orderly teardown is under way (services stopping); the second signal ends the rest at once.
    await new Promise((resolve) => setTimeout(resolve, 300));
    run.child.kill('SIGINT');
    assert.equal(await ended(run.child), 130);
    assert.deepEqual(
      (await hubDatabases(adminUrl)).filter((name) => own.includes(name)),
      [],
    );
  });
});
