import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { describeSweep, sweepLeftovers } from './leftovers.ts';
import { isProcessAlive, processStartTime } from './process-group.ts';

const NOTHING = { runs: [], group: 0, container: 0, compose: 0, dir: 0, database: 0, kept: 0 };
const children: ChildProcess[] = [];
after(() => children.forEach((child) => child.kill('SIGKILL')));

/** A process leading its own group, like a stack service. */
function detachedSleeper(): number {
  const child = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 60000)'], { detached: true, stdio: 'ignore' });
  children.push(child);
  return child.pid as number;
}

function ledgerFolder(): string {
  return mkdtempSync(join(tmpdir(), 'stk-it-ledgers-'));
}

async function gone(pid: number): Promise<boolean> {
  for (let i = 0; i < 100 && isProcessAlive(pid); i += 1) await new Promise((resolve) => setTimeout(resolve, 20));
  return !isProcessAlive(pid);
}

describe('sweepLeftovers', () => {
  it('kills the groups and removes the dirs of a runner that is gone; keeps what is not provably its own', async () => {
    const folder = ledgerFolder();
    const orphan = detachedSleeper();
    const reusedPid = detachedSleeper();
    const ownDir = mkdtempSync(join(tmpdir(), 'santokit-it-work-'));
    const foreignDir = mkdtempSync(join(tmpdir(), 'not-ours-'));
    // The owner "is gone": the pid is ours, but the recorded start time is not.
    const ledger = {
      pid: process.pid,
      start: '1',
      groups: [
        { pgid: orphan, start: processStartTime(orphan) },
        { pgid: reusedPid, start: '1' },
      ],
      dirs: [ownDir, foreignDir, 'relative/santokit-it-x'],
    };
    writeFileSync(join(folder, '4242.json'), JSON.stringify(ledger));
    const summary = sweepLeftovers(folder);
    assert.deepEqual(summary, { ...NOTHING, runs: [process.pid], group: 1, dir: 1 });
    assert.ok(await gone(orphan), 'the recorded group is killed');
    assert.ok(isProcessAlive(reusedPid), 'a pid whose start time differs is someone else: left alone');
    assert.equal(existsSync(ownDir), false);
    assert.equal(existsSync(foreignDir), true, 'only santokit-it-* dirs are removed');
    assert.equal(existsSync(join(folder, '4242.json')), false);
    assert.match(
      describeSweep(summary) ?? '',
      /a killed run \(pid \d+\): 1 process group\(s\) stopped, 1 temp dir\(s\) removed/,
    );
    rmSync(foreignDir, { recursive: true });
    rmSync(folder, { recursive: true });
  });

  it('trusts no ledger in a folder that others can write to', () => {
    const folder = ledgerFolder();
    const sleeper = detachedSleeper();
    writeFileSync(
      join(folder, '9.json'),
      JSON.stringify({
        pid: process.pid,
        start: '1',
        groups: [{ pgid: sleeper, start: processStartTime(sleeper) }],
        dirs: [],
      }),
    );
    chmodSync(folder, 0o777);
    assert.deepEqual(sweepLeftovers(folder), NOTHING);
    assert.ok(isProcessAlive(sleeper));
    rmSync(folder, { recursive: true });
  });

  it('leaves the ledger of a live runner, and unreadable ledgers, alone', () => {
    const folder = ledgerFolder();
    const sleeper = detachedSleeper();
    const live = {
      pid: process.pid,
      start: processStartTime(process.pid),
      groups: [{ pgid: sleeper, start: processStartTime(sleeper) }],
      dirs: [],
    };
    writeFileSync(join(folder, `${process.pid}.json`), JSON.stringify(live));
    writeFileSync(join(folder, '7.json'), '{"pid": 7, "gro');
    assert.deepEqual(sweepLeftovers(folder), NOTHING);
    assert.ok(isProcessAlive(sleeper));
    assert.ok(existsSync(join(folder, `${process.pid}.json`)) && existsSync(join(folder, '7.json')));
    assert.equal(describeSweep(sweepLeftovers(folder)), undefined);
    assert.deepEqual(sweepLeftovers(join(folder, 'missing')), NOTHING);
    rmSync(folder, { recursive: true });
  });
});

describe('a ledger of this version', () => {
  it('lists resources by kind; the sweep ends them newest first and touches no name that is not ours', async () => {
    const folder = ledgerFolder();
    const orphan = detachedSleeper();
    const ownDir = mkdtempSync(join(tmpdir(), 'santokit-it-pg-'));
    const resources = [
      { kind: 'dir', path: ownDir },
      { kind: 'group', pgid: orphan, start: processStartTime(orphan) },
      { kind: 'container', name: 'someone-elses-db' },
      { kind: 'compose', project: '../not a project' },
    ];
    writeFileSync(join(folder, '4243.json'), JSON.stringify({ pid: process.pid, start: '1', resources }));
    const summary = sweepLeftovers(folder);
    assert.deepEqual(summary, { ...NOTHING, runs: [process.pid], group: 1, dir: 1 });
    assert.ok(await gone(orphan));
    assert.equal(existsSync(ownDir), false);
    rmSync(folder, { recursive: true });
  });

  it('keeps a Hub database it has no credentials for, and never touches a database name that is not ours', () => {
    const folder = ledgerFolder();
    const ownDir = mkdtempSync(join(tmpdir(), 'santokit-it-work-'));
    const hubDatabase = { kind: 'database', server: 'stk@db.example:5432', name: 'santokit_hub_abcd1234' };
    const resources = [
      hubDatabase,
      { kind: 'database', server: 'stk@db.example:5432', name: 'production' },
      { kind: 'dir', path: ownDir },
    ];
    const file = join(folder, '4245.json');
    writeFileSync(file, JSON.stringify({ pid: process.pid, start: '1', resources }));
    const summary = sweepLeftovers(folder);
    assert.deepEqual(summary, { ...NOTHING, runs: [process.pid], dir: 1, kept: 1 });
    assert.match(describeSweep(summary) ?? '', /1 database\(s\) on a shared server kept for a run with --db url/);
    assert.equal(existsSync(ownDir), false);
    assert.deepEqual(JSON.parse(readFileSync(file, 'utf8')), {
      pid: process.pid,
      start: '1',
      resources: [hubDatabase],
    });
    // A ledger that lists only what this process cannot end waits, unchanged, and is not reported again.
    assert.deepEqual(sweepLeftovers(folder), { ...NOTHING, kept: 1 });
    assert.equal(describeSweep(sweepLeftovers(folder)), undefined);
    assert.ok(existsSync(file));
    rmSync(folder, { recursive: true });
  });

  it('is ignored whole when one entry is malformed', () => {
    const folder = ledgerFolder();
    const sleeper = detachedSleeper();
    const resources = [
      { kind: 'group', pgid: sleeper, start: processStartTime(sleeper) },
      { kind: 'volume', name: 'x' },
    ];
    writeFileSync(join(folder, '4244.json'), JSON.stringify({ pid: process.pid, start: '1', resources }));
    assert.deepEqual(sweepLeftovers(folder), NOTHING);
    assert.ok(isProcessAlive(sleeper));
    rmSync(folder, { recursive: true });
  });
});
