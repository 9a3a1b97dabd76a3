/**
 * Every provider's resources pass through the one registry
 * (src/stack/resources.ts): while a stack is up, no process group, temp dir,
 * container, compose project (containers, networks, volumes) or Hub database
 * on a shared server of it exists that the registry does not own, and after
 * the teardown the registry is empty. Docker cases are skipped without an engine.
 */
import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import { chmod, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { createStackProvider, createTeardownStack, type CommandLine, type StackOptions } from '../src/stack/index.ts';
import { dockerEngineAvailable } from '../src/stack/providers/compose-cli.ts';
import { startEmbeddedPostgres } from '../src/stack/postgres/embedded-postgres.ts';
import { killAllNow, ownedNow } from '../src/stack/resources.ts';
import { FAKE_SERVICE, fakeArgs } from './fixtures/services/fake.ts';
import { unowned, type OwnershipScope } from './helpers/ownership.ts';

const REPO = join(import.meta.dirname, '..');
process.env.TESTCONTAINERS_RYUK_DISABLED ??= 'true';
const noDocker = (await dockerEngineAvailable()) ? false : 'no Docker engine answers `docker info`';
const fake: CommandLine = { command: process.execPath, args: fakeArgs('ok') };

// Everything this file's stacks make goes into a private TMPDIR (the cluster too), so stray entries are ours.
const saved = { TMPDIR: process.env.TMPDIR, STK_IT_PG_DIR: process.env.STK_IT_PG_DIR };
let tmp = '';
let outputDir = '';
before(async () => {
  tmp = await mkdtemp(join(tmpdir(), 'stk-it-ownership-'));
  // Run as root, the cluster belongs to a postgres user, which must reach the initdb cache in here.
  await chmod(tmp, 0o755);
  outputDir = await mkdtemp(join(tmpdir(), 'stk-it-ownership-out-'));
  process.env.TMPDIR = tmp;
  process.env.STK_IT_PG_DIR = tmp;
});
after(async () => {
  for (const [name, value] of Object.entries(saved)) {
    if (value === undefined) delete process.env[name];
    else process.env[name] = value;
  }
  await rm(tmp, { recursive: true, force: true });
  await rm(outputDir, { recursive: true, force: true });
});

type Scope = Omit<OwnershipScope, 'tmp'>;
const names = () => ownedNow().map((entry) => JSON.stringify(entry));

/** Starts the stack, checks nothing of it is unowned, and that its teardown releases all it owned. */
async function assertAllOwned(options: StackOptions, scope: Scope, whileUp?: () => Promise<void>): Promise<void> {
  // What the test itself owns (a shared server) stays; everything the stack adds must go.
  const before = new Set(names());
  const teardowns = createTeardownStack();
  try {
    await createStackProvider(options).start({ teardowns, signal: new AbortController().signal, outputDir });
    assert.ok(names().some((name) => !before.has(name)));
    assert.deepEqual(await unowned({ tmp, ...scope }), []);
    await whileUp?.();
  } finally {
    assert.deepEqual(await teardowns.runAll(), []);
  }
  assert.deepEqual(
    names().filter((name) => !before.has(name)),
    [],
    'the teardown releases everything',
  );
}

/** Containers, networks and volumes Docker lists under a compose project's label. */
function projectResources(project: string): string[] {
  const label = `label=com.docker.compose.project=${project}`;
  const list = (args: string[]) => execFileSync('docker', args, { encoding: 'utf8' }).split('\n').filter(Boolean);
  return [
    ...list(['ps', '-a', '--filter', label, '--format', 'container {{.Names}}']),
    ...list(['network', 'ls', '--filter', label, '--format', 'network {{.Name}}']),
    ...list(['volume', 'ls', '--filter', label, '--format', 'volume {{.Name}}']),
  ];
}

describe('resources of every provider are owned', () => {
  it('embedded: postgres, initdb, hub, bridge, idp, the object store, their dirs', async () => {
    await assertAllOwned({ stack: 'embedded', repoRoot: REPO, services: { hub: fake, bridge: fake } }, {});
  });

  it('process with --db container: the PostgreSQL container too', { skip: noDocker }, async () => {
    const options: StackOptions = {
      stack: 'process',
      repoRoot: REPO,
      db: 'container',
      hubBin: `${FAKE_SERVICE} --mode ok`,
      bridgeBin: `${FAKE_SERVICE} --mode ok`,
    };
    await assertAllOwned(options, { containers: true });
  });

  it('process with --db url: the Hub database it makes on the shared server', async () => {
    const server = createTeardownStack();
    try {
      const postgres = await startEmbeddedPostgres({ teardowns: server, signal: new AbortController().signal });
      const options: StackOptions = {
        stack: 'process',
        repoRoot: REPO,
        db: 'url',
        databaseUrl: postgres.adminUrl,
        hubBin: `${FAKE_SERVICE} --mode ok`,
        bridgeBin: `${FAKE_SERVICE} --mode ok`,
      };
      await assertAllOwned(options, { databaseUrl: postgres.adminUrl });
      assert.deepEqual(await unowned({ tmp, databaseUrl: postgres.adminUrl }), [], 'and drops it');
    } finally {
      assert.deepEqual(await server.runAll(), []);
    }
  });

  it('compose: the project with its containers, networks and volumes', { skip: noDocker }, async () => {
    const project = `stkitown${process.pid}`;
    const options: StackOptions = {
      stack: 'compose',
      repoRoot: REPO,
      startTimeoutMs: 60_000,
      compose: { build: false, files: ['test/fixtures/services/compose.fake.yaml'], projectName: project },
    };
    await assertAllOwned(options, { containers: true, composePrefix: 'stkitown' }, async () => {
      const resources = projectResources(project);
      for (const kind of ['container', 'network', 'volume'])
        assert.ok(
          resources.some((line) => line.startsWith(`${kind} `)),
          `the project has a ${kind}`,
        );
      // The second Ctrl-C's path: the registry's one entry ends all of it, with no orderly teardown.
      killAllNow();
      assert.deepEqual(projectResources(project), []);
    });
  });

  it('the check itself sees a process group and a temp dir nobody registered', async () => {
    const child = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 60000)'], { detached: true, stdio: 'ignore' });
    await new Promise((resolve) => child.once('spawn', resolve));
    const dir = await mkdtemp(join(tmp, 'santokit-it-stray-'));
    try {
      assert.deepEqual(await unowned({ tmp, containers: false }), [`process ${child.pid}`, `dir ${dir}`]);
    } finally {
      child.kill('SIGKILL');
      await rm(dir, { recursive: true });
    }
  });
});
