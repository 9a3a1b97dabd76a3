/**
 * The one path no teardown covers: the runner SIGKILLed while its embedded
 * stack is up. The services outlive it (they lead their own process groups);
 * the next `stack up` finds its ledger, stops them and removes their temp
 * dirs, and says so. Checked for real: processes, ports, dirs, the ledger.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import { isPortFree } from '../src/stack/ports.ts';
import { dockerEngineAvailable } from '../src/stack/providers/compose-cli.ts';
import { isProcessAlive, treeMembers } from '../src/stack/process-group.ts';
import { ended, stackUps, type StackUps } from './helpers/stack-up.ts';

// The reaper image cannot be pulled without a registry (CI sets this too); the sweep must do its job instead.
process.env.TESTCONTAINERS_RYUK_DISABLED ??= 'true';
const noDocker = (await dockerEngineAvailable())
  ? false
  : 'no Docker engine answers `docker info` (run .ci/docker-setup.sh as root to make one)';

let stacks: StackUps;
before(async () => {
  stacks = await stackUps('stk-it-leftovers-');
});
after(() => stacks.close());
const stackUp = (extra?: readonly string[]) => stacks.up(extra);

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
    const ledgerFile = stacks.ledgerFile(first.child.pid);
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
    assert.equal(existsSync(stacks.ledgerFile(second.child.pid)), false, 'an orderly stop leaves no ledger');
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
    const ledger = readLedger(stacks.ledgerFile(first.child.pid));
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
