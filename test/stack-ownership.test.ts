/**
 * Every provider's resources pass through the one registry
 * (src/stack/resources.ts): while a stack is up, no process group, temp dir
 * or container of it exists that the registry does not own, and after the
 * teardown the registry is empty. Docker cases are skipped without an engine.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { chmod, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { createStackProvider, createTeardownStack, type CommandLine, type StackOptions } from '../src/stack/index.ts';
import { dockerEngineAvailable } from '../src/stack/providers/compose-cli.ts';
import { ownedNow } from '../src/stack/resources.ts';
import { FAKE_SERVICE, fakeArgs } from './fixtures/services/fake.ts';
import { unowned } from './helpers/ownership.ts';

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

async function assertAllOwned(options: StackOptions, containers: boolean): Promise<void> {
  const teardowns = createTeardownStack();
  try {
    await createStackProvider(options).start({ teardowns, signal: new AbortController().signal, outputDir });
    assert.ok(ownedNow().length > 0);
    assert.deepEqual(await unowned({ tmp, containers }), []);
  } finally {
    assert.deepEqual(await teardowns.runAll(), []);
  }
  assert.deepEqual(ownedNow(), [], 'the teardown releases everything');
}

describe('resources of every provider are owned', () => {
  it('embedded: postgres, initdb, hub, bridge, idp, the object store, their dirs', async () => {
    await assertAllOwned({ stack: 'embedded', repoRoot: REPO, services: { hub: fake, bridge: fake } }, false);
  });

  it('process with --db container: the PostgreSQL container too', { skip: noDocker }, async () => {
    const options: StackOptions = {
      stack: 'process',
      repoRoot: REPO,
      db: 'container',
      hubBin: `${FAKE_SERVICE} --mode ok`,
      bridgeBin: `${FAKE_SERVICE} --mode ok`,
    };
    await assertAllOwned(options, true);
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
