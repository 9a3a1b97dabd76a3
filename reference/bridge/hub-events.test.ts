/**
 * The Bridge's end of the invalidation stream against a Hub-shaped server on
 * port 0: the cache goes live on the first line, an event is applied before
 * it is acknowledged, and a stream that ends or falls silent makes the cache
 * ask the Hub on every call again.
 */
import assert from 'node:assert/strict';
import { createServer, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, test } from 'node:test';
import { createCachedHub } from './hub-cache.ts';
import { followHubEvents, SILENCE_MS } from './hub-events.ts';
import { createFakeHub } from './test-support.ts';

const TOKEN = 'events-token-for-tests';

interface EventsState {
  streams: ServerResponse[];
  acks: { subscriber: unknown; seq: unknown }[];
  unauthorized: number;
}

const state: EventsState = { streams: [], acks: [], unauthorized: 0 };
let server: Server;
let url: string;

async function until(check: () => boolean, what: string, timeoutMs = 5_000): Promise<void> {
  const started = Date.now();
  while (!check()) {
    if (Date.now() - started > timeoutMs) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

function startServer(): Promise<Server> {
  const events = createServer((request, response) => {
    if (request.headers.authorization !== `Bearer ${TOKEN}`) {
      state.unauthorized += 1;
      response.writeHead(401).end();
      return;
    }
    if (request.url === '/internal/events') {
      response.writeHead(200, { 'content-type': 'application/x-ndjson' });
      response.write(`${JSON.stringify({ type: 'hello', subscriber: `s${state.streams.length}` })}\n`);
      state.streams.push(response);
      return;
    }
    let body = '';
    request.on('data', (chunk: Buffer) => (body += chunk.toString()));
    request.on('end', () => {
      state.acks.push(JSON.parse(body) as { subscriber: unknown; seq: unknown });
      response.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}');
    });
  });
  return new Promise((resolve) => events.listen(0, '127.0.0.1', () => resolve(events)));
}

describe('hub events on the Bridge', () => {
  before(async () => {
    server = await startServer();
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  after(() => {
    for (const stream of state.streams) stream.destroy();
    server.close();
  });

  test('live on the first line; an event is applied before its ack; a closed stream means asking every time', async () => {
    const hub = createFakeHub();
    hub.apiKeys.set('k', { secret: 's', project: 'shop', env: 'dev', roles: ['admin'] });
    const cache = createCachedHub(hub);
    const follow = followHubEvents(url, TOKEN, cache);
    try {
      await until(() => cache.live(), 'the stream to go live');
      assert.equal(state.unauthorized, 0, 'the service token is sent as Authorization: Bearer');
      await cache.verifyApiKey('k', 's');
      await cache.verifyApiKey('k', 's');
      assert.equal(hub.calls, 1, 'while live a verdict is remembered');

      hub.apiKeys.get('k')!.revoked = true;
      const stream = state.streams.at(-1)!;
      stream.write(`${JSON.stringify({ type: 'invalidate', seq: 7, scope: 'apikey', key_id: 'k' })}\n`);
      await until(() => state.acks.some((ack) => ack.seq === 7), 'the ack of event 7');
      assert.deepEqual(state.acks.at(-1), { subscriber: `s${state.streams.length - 1}`, seq: 7 });
      assert.equal((await cache.verifyApiKey('k', 's')).valid, false, 'by the time of the ack the verdict is gone');

      stream.end();
      await until(() => !cache.live(), 'the cache to leave live mode');
      const calls = hub.calls;
      await cache.verifyApiKey('k', 's');
      await cache.verifyApiKey('k', 's');
      assert.equal(hub.calls, calls + 2, 'without a live stream every call asks the Hub');
      await until(() => cache.live(), 'the stream to come back');
    } finally {
      follow.stop();
    }
  });

  test(`a stream silent for more than ${SILENCE_MS} ms is dropped`, async () => {
    const cache = createCachedHub(createFakeHub());
    const follow = followHubEvents(url, TOKEN, cache);
    try {
      await until(() => cache.live(), 'the stream to go live');
      const opened = state.streams.length;
      await until(
        () => !cache.live() || state.streams.length > opened,
        'the silent stream to be dropped',
        SILENCE_MS + 3_000,
      );
    } finally {
      follow.stop();
    }
  });
});
