import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { describe, it } from 'node:test';
import { raceAbort, settleWithin, withDeadline, within } from './async.ts';

const never = new Promise<never>(() => undefined);

describe('raceAbort', () => {
  it("rejects with the signal's reason as soon as it aborts, and at once when already aborted", async () => {
    const controller = new AbortController();
    const reason = new Error('stop');
    setTimeout(() => controller.abort(reason), 5);
    await assert.rejects(raceAbort(never, controller.signal), (error) => error === reason);
    await assert.rejects(raceAbort(Promise.resolve(1), controller.signal), (error) => error === reason);
  });

  it('settles with the promise when it wins', async () => {
    assert.equal(await raceAbort(Promise.resolve(7), new AbortController().signal), 7);
    await assert.rejects(raceAbort(Promise.reject(new Error('own')), new AbortController().signal), /own/);
  });
});

describe('within / withDeadline / settleWithin', () => {
  it('gives the fallback, or the deadline error, once the time is up', async () => {
    assert.equal(await within(never, 5, () => 'late'), 'late');
    assert.equal(await within(Promise.resolve('early'), 1_000, () => 'late'), 'early');
    await assert.rejects(withDeadline(never, 5, 'took too long'), /took too long/);
  });

  it('settleWithin swallows a rejection and stops waiting at the deadline', async () => {
    await settleWithin(Promise.reject(new Error('ignored')), 1_000);
    await settleWithin(never, 5);
    await settleWithin(undefined, 5);
  });
});

describe('holdUntilAborted', () => {
  it('keeps a process alive that has nothing else to wait for, until the signal', () => {
    // The abort timer is unref'd: without the hold's own handle, node ends the script (exit 13) before it fires.
    const script = [
      "const { holdUntilAborted } = await import('./src/util/async.ts');",
      'const controller = new AbortController();',
      'setTimeout(() => controller.abort(), 300).unref();',
      'await holdUntilAborted(controller.signal);',
      "console.log('held until aborted');",
    ].join('\n');
    const child = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
      encoding: 'utf8',
      timeout: 30_000,
    });
    assert.equal(child.status, 0, child.stderr);
    assert.equal(child.stdout.trim(), 'held until aborted');
  });
});
