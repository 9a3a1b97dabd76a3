import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { sleep } from './probes/probe.ts';
import { startTogether } from './start-together.ts';

describe('startTogether', () => {
  it('returns every result in order', async () => {
    const result = await startTogether<[number, string]>(new AbortController().signal, [
      async () => 1,
      async () => 'two',
    ]);
    assert.deepEqual(result, [1, 'two']);
  });

  it('aborts the siblings of a failure and throws that first failure', async () => {
    const begin = Date.now();
    const boom = new Error('hub crashed');
    const attempt = startTogether<[void, void]>(new AbortController().signal, [
      (signal) => sleep(10_000, signal),
      async () => {
        await sleep(20, new AbortController().signal);
        throw boom;
      },
    ]);
    await assert.rejects(attempt, (error) => error === boom);
    assert.ok(Date.now() - begin < 2_000);
  });

  it('passes the caller abort on', async () => {
    const controller = new AbortController();
    setTimeout(() => controller.abort(new Error('SIGINT')), 20);
    await assert.rejects(startTogether<[void]>(controller.signal, [(signal) => sleep(10_000, signal)]), /SIGINT/);
  });
});
