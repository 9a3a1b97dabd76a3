/** The cache bounds of what the Bridge remembers of the Hub, on a fake clock. */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { ReleasePayload } from '../shared/contract.ts';
import { HttpError } from '../shared/http-error.ts';
import { createCachedHub } from './hub-cache.ts';
import { createFakeHub } from './test-support.ts';

function release(id: string, url = 'postgres://db/one'): ReleasePayload {
  return { release_id: id, project: 'shop', env: 'dev', schema: { tables: {} }, permissions: { tables: {} }, storage: {}, logics: {}, connections: { main: { name: 'main', engine: 'postgres', db_url: url } } };
}

function setup(options: { maxEntries?: number } = {}) {
  const clock = { now: 0 };
  const hub = createFakeHub();
  const urls: string[][] = [];
  hub.releases.set('shop/dev', release('r1'));
  hub.apiKeys.set('k', { secret: 's', project: 'shop', env: 'dev', roles: ['admin'] });
  const cached = createCachedHub(hub, { ttlMs: 1_000, staleMs: 30_000, now: () => clock.now, onUrlsChanged: (set) => urls.push([...set]), ...options });
  return { clock, hub, cached, urls };
}

async function rejects503(promise: Promise<unknown>): Promise<void> {
  await assert.rejects(promise, (error: unknown) => error instanceof HttpError && error.code === 'SERVICE_UNAVAILABLE');
}

describe('hub cache', () => {
  test('a release is served from cache within the TTL and fetched again after it', async () => {
    const { clock, hub, cached } = setup();
    assert.equal((await cached.release('shop', 'dev'))?.release_id, 'r1');
    hub.releases.set('shop/dev', release('r2'));
    clock.now = 999;
    assert.equal((await cached.release('shop', 'dev'))?.release_id, 'r1');
    clock.now = 1_000;
    assert.equal((await cached.release('shop', 'dev'))?.release_id, 'r2', 'promote visible at the TTL');
    assert.equal(hub.calls, 2);
  });

  test('while the Hub is down the last release is served until the stale bound, then 503', async () => {
    const { clock, hub, cached } = setup();
    await cached.release('shop', 'dev');
    hub.down = true;
    clock.now = 29_999;
    assert.equal((await cached.release('shop', 'dev'))?.release_id, 'r1');
    assert.equal(await cached.ready(), true, 'ready while a cached release is usable');
    clock.now = 30_000;
    await rejects503(cached.release('shop', 'dev'));
    assert.equal(await cached.ready(), false);
    await rejects503(cached.release('other', 'dev'));
    hub.down = false;
    assert.equal((await cached.release('shop', 'dev'))?.release_id, 'r1', 'recovers once the Hub answers');
  });

  test('"no release" is an answer, cached for the TTL like a release', async () => {
    const { clock, hub, cached } = setup();
    assert.equal(await cached.release('nosuch', 'dev'), undefined);
    hub.releases.set('nosuch/dev', release('r9'));
    assert.equal(await cached.release('nosuch', 'dev'), undefined);
    clock.now = 1_000;
    assert.equal((await cached.release('nosuch', 'dev'))?.release_id, 'r9');
  });

  test('API-key verdicts live for the TTL only: never stale, so revocation is bounded even during an outage', async () => {
    const { clock, hub, cached } = setup();
    assert.equal((await cached.verifyApiKey('k', 's')).valid, true);
    hub.apiKeys.get('k')!.revoked = true;
    clock.now = 500;
    assert.equal((await cached.verifyApiKey('k', 's')).valid, true, 'within the bound');
    clock.now = 1_000;
    assert.equal((await cached.verifyApiKey('k', 's')).valid, false, 'revoked at the bound');
    assert.equal((await cached.verifyApiKey('k', 'other')).valid, false, 'verdicts are per secret');
    hub.apiKeys.get('k')!.revoked = false;
    clock.now = 2_000;
    assert.equal((await cached.verifyApiKey('k', 's')).valid, true);
    hub.down = true;
    clock.now = 3_000;
    await rejects503(cached.verifyApiKey('k', 's'));
  });

  test('token keys are cached and served stale like releases', async () => {
    const { clock, hub, cached } = setup();
    const keys = await cached.keys('shop', 'dev');
    assert.equal(keys.length, 2);
    hub.down = true;
    clock.now = 10_000;
    assert.deepEqual(await cached.keys('shop', 'dev'), keys);
    clock.now = 40_000;
    await rejects503(cached.keys('shop', 'dev'));
  });

  test('concurrent misses share one Hub request', async () => {
    const { hub, cached } = setup();
    await Promise.all(Array.from({ length: 20 }, () => cached.release('shop', 'dev')));
    assert.equal(hub.calls, 1);
  });

  test('the set of database URLs is published when releases change it', async () => {
    const { clock, hub, cached, urls } = setup();
    await cached.release('shop', 'dev');
    hub.releases.set('shop/dev', release('r2'));
    clock.now = 1_000;
    await cached.release('shop', 'dev');
    hub.releases.set('shop/dev', release('r3', 'postgres://db/two'));
    clock.now = 2_000;
    await cached.release('shop', 'dev');
    assert.deepEqual(urls, [['postgres://db/one'], ['postgres://db/two']]);
  });

  test('entries are bounded: the oldest are dropped', async () => {
    const { hub, cached } = setup({ maxEntries: 3 });
    for (const env of ['a', 'b', 'c', 'd']) await cached.release('shop', env);
    const calls = hub.calls;
    await cached.release('shop', 'd');
    assert.equal(hub.calls, calls, 'recent entry kept');
    await cached.release('shop', 'a');
    assert.equal(hub.calls, calls + 1, 'oldest entry dropped');
  });
});
