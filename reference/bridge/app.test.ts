/** The HTTP surface without a database: body decoding, the envelope, request ids, routes, Hub outages. */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { ReleasePayload } from '../shared/contract.ts';
import { createBridgeApp } from './app.ts';
import { createPools } from './pools.ts';
import { createFakeHub, type FakeHub } from './test-support.ts';

const HINTS = { 'x-santokit-project': 'shop', 'x-santokit-env': 'dev' };

function release(): ReleasePayload {
  return {
    release_id: 'r1',
    project: 'shop',
    env: 'dev',
    storage: {},
    logics: {},
    schema: { tables: { notes: { columns: { body: { type: 'string' } } } } },
    permissions: { tables: { notes: { select: { roles: ['admin'] } } } },
    connections: { main: { name: 'main', engine: 'postgres', db_url: 'postgres://u:secret-password@127.0.0.1:1/db' } },
  };
}

function setup(cache?: { ttlMs: number; staleMs: number; now: () => number }): {
  hub: FakeHub;
  app: ReturnType<typeof createBridgeApp>;
  lines: string[];
} {
  const hub = createFakeHub();
  hub.releases.set('shop/dev', release());
  hub.apiKeys.set('admin', { secret: 's', project: 'shop', env: 'dev', roles: ['admin'] });
  const lines: string[] = [];
  return {
    hub,
    lines,
    app: createBridgeApp({
      hub,
      pools: createPools({ connectionTimeoutMs: 1_000 }),
      log: (line) => lines.push(line),
      ...(cache ? { cache } : {}),
    }),
  };
}

async function send(app: ReturnType<typeof createBridgeApp>, path: string, init: RequestInit = {}) {
  const response = await app.request(path, init);
  const text = await response.text();
  return {
    status: response.status,
    text,
    id: response.headers.get('x-request-id'),
    body: JSON.parse(text) as { ok?: boolean; error?: { code: string; message: string; requestId: string } },
  };
}

const post = (body: string, headers: Record<string, string> = { 'content-type': 'application/json' }) => ({
  method: 'POST',
  headers: { ...HINTS, ...headers },
  body,
});

describe('bridge HTTP surface', () => {
  test('bad bodies, unknown routes and wrong methods are envelopes with the X-Request-Id', async () => {
    const { app } = setup();
    const cases: [string, RequestInit, number, RegExp][] = [
      ['/call', post('{"path":"db/notes/select"}', { 'content-type': 'text/plain' }), 400, /Content-Type/],
      ['/call', post('{not json'), 400, /not valid JSON/],
      ['/call', post('[1,2]'), 400, /JSON object/],
      ['/call', post('{"params":{}}'), 400, /'path'/],
      ['/call', post('{"path":42}'), 400, /'path'/],
      ['/call', post(JSON.stringify({ path: 'db/notes/select', pad: 'x'.repeat(1024 * 1024) })), 400, /1 MiB/],
      ['/nope', { method: 'GET' }, 404, /no route/],
      ['/call', { method: 'GET' }, 404, /no route/],
    ];
    for (const [path, init, status, message] of cases) {
      const result = await send(app, path, init);
      assert.equal(result.status, status, result.text);
      assert.match(result.body.error?.message ?? '', message);
      assert.deepEqual(Object.keys(result.body), ['error']);
      assert.equal(result.body.error?.requestId, result.id);
    }
  });

  test('every response has a fresh request id; one sent by the client is not reused', async () => {
    const { app, lines } = setup();
    const first = await send(app, '/healthz', { headers: { 'x-request-id': 'mine' } });
    const second = await send(app, '/healthz');
    assert.deepEqual(first.body, { ok: true });
    assert.match(first.id ?? '', /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    assert.notEqual(first.id, second.id);
    assert.ok(
      lines.some((line) => line.includes(`id=${first.id}`)),
      'the log line names the request id',
    );
  });

  test('an unreachable project database is 503 without the URL or its password', async () => {
    const { app, lines } = setup();
    const result = await send(
      app,
      '/call',
      post(JSON.stringify({ path: 'db/notes/select' }), {
        'content-type': 'application/json',
        'x-santokit-api-key': 'admin.s',
      }),
    );
    assert.equal(result.status, 503, result.text);
    assert.equal(result.body.error?.code, 'SERVICE_UNAVAILABLE');
    assert.ok(!/secret-password|127\.0\.0\.1|postgres:/.test(result.text + lines.join('\n')));
    const ready = await send(app, '/readyz?project=shop&env=dev');
    assert.deepEqual(
      [ready.status, ready.body],
      [503, { ok: false }],
      'a probe answer, not an error envelope (OPERATOR-007)',
    );
    assert.ok(
      lines.some((line) => line.startsWith('readyz: project database unreachable')),
      'the reason is logged',
    );
    assert.equal((await send(app, '/readyz?env=dev')).status, 400);
  });

  test('past the stale bound with the Hub down, /call and /readyz answer 503; a fresh Hub answer heals both', async () => {
    const clock = { now: 0 };
    const { hub, app } = setup({ ttlMs: 1_000, staleMs: 5_000, now: () => clock.now });
    const logic = (release: ReleasePayload): ReleasePayload => ({
      ...release,
      logics: { hello: "---\nauth: public\n---\nSELECT 'hi' AS greeting" },
    });
    hub.releases.set('shop/dev', logic(release()));
    const call = () => send(app, '/call', post(JSON.stringify({ path: 'logics/nope' })));
    assert.equal((await call()).status, 404, 'release loaded; the logic does not exist');
    hub.down = true;
    clock.now = 4_999;
    assert.equal((await call()).status, 404, 'stale release still served');
    assert.equal((await send(app, '/readyz')).status, 200);
    clock.now = 5_000;
    const outage = await call();
    assert.deepEqual([outage.status, outage.body.error?.code], [503, 'SERVICE_UNAVAILABLE']);
    assert.equal((await send(app, '/readyz')).status, 503);
    hub.down = false;
    assert.equal((await call()).status, 404);
    assert.equal((await send(app, '/readyz')).status, 200);
  });

  test('context: no release is 404, hints of an env without one too, and no credential without hints is 401', async () => {
    const { app } = setup();
    const noRelease = await send(
      app,
      '/call',
      post(JSON.stringify({ path: 'logics/x' }), {
        'content-type': 'application/json',
        'x-santokit-project': 'nosuch',
        'x-santokit-env': 'dev',
      }),
    );
    assert.deepEqual([noRelease.status, noRelease.body.error?.code], [404, 'NOT_FOUND']);
    const anonymous = await app.request('/call', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"path":"logics/x"}',
    });
    assert.equal(anonymous.status, 401, 'no credential and nothing to route by: unknown caller, never another project');
    assert.equal(((await anonymous.json()) as { error: { code: string } }).error.code, 'UNAUTHORIZED');
  });
});
