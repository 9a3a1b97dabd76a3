import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { ledgerDir } from './leftovers.ts';
import { isProcessAlive, processStartTime } from './process-group.ts';
import { killAllNow, own, ownedNow } from './resources.ts';
import { createTeardownStack } from './teardown-stack.ts';

const children: ChildProcess[] = [];
after(() => children.forEach((child) => child.kill('SIGKILL')));

function detachedSleeper(): number {
  const child = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 60000)'], { detached: true, stdio: 'ignore' });
  children.push(child);
  return child.pid as number;
}

async function gone(pid: number): Promise<boolean> {
  for (let i = 0; i < 100 && isProcessAlive(pid); i += 1) await new Promise((resolve) => setTimeout(resolve, 20));
  return !isProcessAlive(pid);
}

const ledgerFile = () => join(ledgerDir(), `${process.pid}.json`);
const ledgered = () => (JSON.parse(readFileSync(ledgerFile(), 'utf8')) as { resources: unknown[] }).resources;

describe('own', () => {
  it('puts a resource in the ledger once it is named, and takes it out when its teardown succeeds', async () => {
    const teardowns = createTeardownStack();
    const sleeper = detachedSleeper();
    const group = own(teardowns, 'stop sleeper', async () => void process.kill(-sleeper, 'SIGKILL'));
    assert.deepEqual(ownedNow(), [{ name: 'stop sleeper' }], 'registered before it is named');
    assert.equal(existsSync(ledgerFile()), false, 'nothing to sweep yet');
    const leftover = { kind: 'group', pgid: sleeper, start: processStartTime(sleeper) ?? '' } as const;
    group.bind(leftover);
    assert.deepEqual(ledgered(), [leftover]);
    assert.equal(statSync(ledgerDir()).mode & 0o077, 0, 'the ledger folder is private');
    assert.deepEqual(await teardowns.runAll(), []);
    assert.deepEqual(ownedNow(), []);
    assert.equal(existsSync(ledgerFile()), false, 'an empty registry leaves no ledger');
    assert.ok(await gone(sleeper));
  });

  it('keeps a resource whose teardown failed, for the exit hook and the next sweep', async () => {
    const teardowns = createTeardownStack();
    const dir = mkdtempSync(join(tmpdir(), 'santokit-it-own-test-'));
    own(teardowns, 'remove dir', () => Promise.reject(new Error('busy')), { kind: 'dir', path: dir });
    const failures = await teardowns.runAll();
    assert.deepEqual(
      failures.map((failure) => failure.name),
      ['remove dir'],
    );
    assert.deepEqual(ledgered(), [{ kind: 'dir', path: dir }]);
    assert.equal(killAllNow(), 1);
    assert.equal(existsSync(dir), false);
    assert.equal(existsSync(ledgerFile()), false);
  });
});

describe('killAllNow', () => {
  it('ends every named resource at once, newest first, without its teardown', async () => {
    const teardowns = createTeardownStack();
    const dir = mkdtempSync(join(tmpdir(), 'santokit-it-kill-test-'));
    const sleeper = detachedSleeper();
    own(teardowns, 'remove dir', async () => assert.fail('no orderly teardown'), { kind: 'dir', path: dir });
    own(teardowns, 'stop sleeper', async () => assert.fail('no orderly teardown')).bind({
      kind: 'group',
      pgid: sleeper,
      start: processStartTime(sleeper) ?? '',
    });
    own(teardowns, 'not started yet', async () => undefined);
    assert.equal(killAllNow(), 2);
    assert.ok(await gone(sleeper));
    assert.equal(existsSync(dir), false);
    assert.deepEqual(ownedNow(), [{ name: 'not started yet' }], 'what was never named stays with its teardown');
    assert.equal(existsSync(ledgerFile()), false);
    await teardowns.runAll();
  });

  it('leaves a database on a server it has no credentials for in the ledger, for a run that has them', async () => {
    const teardowns = createTeardownStack();
    const database = { kind: 'database', server: 'stk@198.51.100.7:5432', name: 'santokit_hub_kill0001' } as const;
    own(teardowns, 'drop database', async () => undefined, database);
    assert.equal(killAllNow(), 0);
    assert.deepEqual(ledgered(), [database]);
    assert.deepEqual(await teardowns.runAll(), []);
    assert.equal(existsSync(ledgerFile()), false);
  });
});
