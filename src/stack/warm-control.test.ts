import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { handOffDatabases, requestRefresh, startWarmControl, type WarmOwner } from './warm-control.ts';

/** An owner that records what runs asked of it. */
function recordingOwner(): WarmOwner & { refreshed: string[][]; dropped: string[][] } {
  const refreshed: string[][] = [];
  const dropped: string[][] = [];
  return {
    refreshed,
    dropped,
    async refresh(parts) {
      refreshed.push([...parts]);
      return ['bridge'];
    },
    async dropDatabases(names) {
      dropped.push([...names]);
    },
  };
}

describe('the warm stack control', () => {
  it("takes a run's databases and a refresh, each with the owner's token only", async () => {
    const owner = recordingOwner();
    const control = await startWarmControl(owner);
    try {
      await handOffDatabases(control, ['stk_a_dev', 'stk_b_dev']);
      assert.deepEqual((await requestRefresh(control, ['reference/bridge'])).restarted, ['bridge']);
      assert.deepEqual(owner.dropped, [['stk_a_dev', 'stk_b_dev']]);
      assert.deepEqual(owner.refreshed, [['reference/bridge']]);

      await assert.rejects(handOffDatabases({ ...control, token: 'wrong' }, ['stk_c_dev']), /HTTP 401/);
      const malformed = await fetch(`${control.url}/drop-databases`, {
        method: 'POST',
        headers: { authorization: `Bearer ${control.token}` },
        body: JSON.stringify({ databases: 'stk_c_dev' }),
      });
      assert.equal(malformed.status, 400);
      assert.deepEqual(owner.dropped, [['stk_a_dev', 'stk_b_dev']], 'nothing dropped on a refused request');
    } finally {
      await control.close();
    }
  });

  it('answers a hand-off before the drops end, so the run does not wait for them', async () => {
    let finish: () => void = () => undefined;
    const owner = { ...recordingOwner(), dropDatabases: () => new Promise<void>((resolve) => (finish = resolve)) };
    const control = await startWarmControl(owner);
    try {
      await handOffDatabases(control, ['stk_slow_dev'], 2_000);
    } finally {
      finish();
      await control.close();
    }
  });
});
