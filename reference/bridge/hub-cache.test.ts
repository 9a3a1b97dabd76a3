/** The cache bounds of what the Bridge remembers of the Hub, on a fake clock. */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { ReleasePayload } from '../shared/contract.ts';
import { HttpError } from '../shared/http-error.ts';
import { createCachedHub } from './hub-cache.ts';
import { createFakeHub } from './test-support.ts';

function release(id: string, url = 'postgres://db/one'): ReleasePayload {
  return {
    release_id: id,
    project: 'shop',
    env: 'dev',
    schema: { tables: {} },
    permissions: { tables: {} },
    storage: {},
    logics: {},
    connections: { main: { name: 'main', engine: 'postgres', db_url: url } },
  };
}

function setup(options: { maxEntries?: number; live?: boolean } = {}) {
  const clock = { now: 0 };
  const hub = createFakeHub();
  const urls: string[][] = [];
  hub.releases.set('shop/dev', release('r1'));
  hub.apiKeys.set('k', { secret: 's', project: 'shop', env: 'dev', roles: ['admin'] });
  const cached = createCachedHub(hub, {
    ttlMs: 1_000,
    staleMs: 30_000,
    maxAgeMs: 60_000,
    now: () => clock.now,
    onUrlsChanged: (set) => urls.push([...set]),
    ...options,
  });
  if (options.live !== false) cached.setLive(true);
  return { clock, hub, cached, urls };
}

async function rejects503(promise: Promise<unknown>): Promise<void> {
  await assert.rejects(promise, (error: unknown) => error instanceof HttpError && error.code === 'SERVICE_UNAVAILABLE');
}

describe('hub cache', () => {
  test('while the invalidation stream is live a release is kept until an event names it', async () => {
    const { clock, hub, cached } = setup();
    assert.equal((await cached.release('shop', 'dev'))?.release_id, 'r1');
    hub.releases.set('shop/dev', release('r2'));
    clock.now = 59_999;
    assert.equal((await cached.release('shop', 'dev'))?.release_id, 'r1', 'no event, no change');
    cached.invalidate({ scope: 'release', project: 'shop', env: 'other' });
    assert.equal((await cached.release('shop', 'dev'))?.release_id, 'r1', 'another env');
    cached.invalidate({ scope: 'release', project: 'shop', env: 'dev' });
    assert.equal((await cached.release('shop', 'dev'))?.release_id, 'r2', 'the promote is used by the next call');
    assert.equal(hub.calls, 2);
    clock.now = 120_000;
    hub.releases.set('shop/dev', release('r3'));
    assert.equal((await cached.release('shop', 'dev'))?.release_id, 'r3', 'max age is a backstop');
  });

  test('without a live stream every call asks the Hub for the release', async () => {
    const { hub, cached } = setup({ live: false });
    await cached.release('shop', 'dev');
    hub.releases.set('shop/dev', release('r2'));
    assert.equal((await cached.release('shop', 'dev'))?.release_id, 'r2');
    assert.equal(hub.calls, 2);
  });

  test('going live or losing the stream makes nothing known so far fresh', async () => {
    const { hub, cached } = setup();
    await cached.release('shop', 'dev');
    hub.releases.set('shop/dev', release('r2'));
    cached.setLive(false);
    cached.setLive(true);
    assert.equal((await cached.release('shop', 'dev'))?.release_id, 'r2');
  });

  test('a load in flight when its entry is invalidated is answered but not kept', async () => {
    const { hub } = setup();
    let open: () => void = () => undefined;
    const gate = new Promise<void>((resolve) => {
      open = resolve;
    });
    const slow = {
      ...hub,
      currentRelease: async (project: string, env: string) => {
        const value = await hub.currentRelease(project, env);
        await gate;
        return value;
      },
    };
    const racing = createCachedHub(slow, { maxAgeMs: 60_000 });
    racing.setLive(true);
    const first = racing.release('shop', 'dev');
    hub.releases.set('shop/dev', release('r2'));
    racing.invalidate({ scope: 'release', project: 'shop', env: 'dev' });
    open();
    assert.equal((await first)?.release_id, 'r1');
    assert.equal((await racing.release('shop', 'dev'))?.release_id, 'r2', 'the stale load was not stored');
  });

  test('while the Hub is down the last release is served until the stale bound, then 503', async () => {
    const { clock, hub, cached } = setup({ live: false });
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

  test('the Hub gets a brief wait only when a kept entry can answer for it, else a full one', async () => {
    const { clock, hub, cached } = setup({ live: false });
    await cached.release('shop', 'dev');
    await cached.keys('shop', 'dev');
    await cached.verifyApiKey('k', 's');
    assert.deepEqual(hub.patience, ['full', 'full', 'full'], 'nothing kept yet: wait for the Hub');
    clock.now = 1_000;
    await cached.release('shop', 'dev');
    await cached.keys('shop', 'dev');
    await cached.verifyApiKey('k', 's');
    assert.deepEqual(
      hub.patience.slice(3),
      ['brief', 'brief', 'full'],
      'a kept release or key set can stand in; a verdict never',
    );
    clock.now = 31_000;
    await cached.release('shop', 'dev');
    assert.equal(hub.patience.at(-1), 'full', 'past the stale bound nothing stands in');
  });

  test('"no release" is an answer, kept like a release until invalidated', async () => {
    const { hub, cached } = setup();
    assert.equal(await cached.release('nosuch', 'dev'), undefined);
    hub.releases.set('nosuch/dev', release('r9'));
    assert.equal(await cached.release('nosuch', 'dev'), undefined);
    cached.invalidate({ scope: 'release', project: 'nosuch', env: 'dev' });
    assert.equal((await cached.release('nosuch', 'dev'))?.release_id, 'r9');
  });

  test('API-key verdicts: kept while live until the key is named, never without the stream, never stale', async () => {
    const { hub, cached } = setup();
    assert.equal((await cached.verifyApiKey('k', 's')).valid, true);
    hub.apiKeys.get('k')!.revoked = true;
    assert.equal((await cached.verifyApiKey('k', 's')).valid, true, 'no event yet');
    cached.invalidate({ scope: 'apikey', key_id: 'kk' });
    assert.equal((await cached.verifyApiKey('k', 's')).valid, true, 'another key id');
    cached.invalidate({ scope: 'apikey', key_id: 'k' });
    assert.equal((await cached.verifyApiKey('k', 's')).valid, false, 'revoked on the next call');
    assert.equal((await cached.verifyApiKey('k', 'other')).valid, false, 'verdicts are per secret');
    hub.apiKeys.get('k')!.revoked = false;
    cached.setLive(false);
    const calls = hub.calls;
    assert.equal((await cached.verifyApiKey('k', 's')).valid, true);
    hub.apiKeys.get('k')!.revoked = true;
    assert.equal((await cached.verifyApiKey('k', 's')).valid, false, 'not live: asked every time');
    assert.equal(hub.calls, calls + 2);
    hub.down = true;
    await rejects503(cached.verifyApiKey('k', 's'));
  });

  test('token keys are fresh for the TTL, dropped by a keys event, and served stale like releases', async () => {
    const { clock, hub, cached } = setup();
    const keys = await cached.keys('shop', 'dev');
    assert.equal(keys.length, 2);
    await cached.keys('shop', 'dev');
    assert.equal(hub.calls, 1);
    cached.invalidate({ scope: 'keys', project: 'shop', env: 'dev' });
    await cached.keys('shop', 'dev');
    assert.equal(hub.calls, 2);
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
    const { hub, cached, urls } = setup();
    await cached.release('shop', 'dev');
    hub.releases.set('shop/dev', release('r2'));
    cached.invalidate({ scope: 'release', project: 'shop', env: 'dev' });
    await cached.release('shop', 'dev');
    hub.releases.set('shop/dev', release('r3', 'postgres://db/two'));
    cached.invalidate({ scope: 'release', project: 'shop', env: 'dev' });
    await cached.release('shop', 'dev');
    assert.deepEqual(urls.at(-1), ['postgres://db/two']);
    assert.ok(urls.some((set) => set.length === 1 && set[0] === 'postgres://db/one'));
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
