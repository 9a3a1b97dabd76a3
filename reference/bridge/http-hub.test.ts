/**
 * The Bridge process over real sockets: `main.ts` as a child process against
 * a contract-shaped Hub served by node:http on port 0 and a real PostgreSQL.
 * Covers the service token, release changes within the cache bound, pools of
 * replaced URLs being closed, local token keys, readiness, outages and SIGTERM.
 */
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { serve } from '@hono/node-server';
import pg from 'pg';
import { SERVICE_TOKEN_HEADER, type ReleasePayload } from '../shared/contract.ts';
import { deriveAccessKeys } from '../shared/tokens.ts';
import { freePort, startTestPostgres, type TestPostgres } from '../testing/postgres.ts';
import { createBridgeApp } from './app.ts';
import { benchBridgeSelect } from '../../bench/bridge-select.ts';
import { createHttpHubClient } from './hub-client.ts';
import { withLocalKeys } from './local-keys.ts';
import { createPools } from './pools.ts';
import { endUserToken, SECRETS } from './test-support.ts';

const TOKEN = 'service-token-for-tests';
const MAIN = fileURLToPath(new URL('./main.ts', import.meta.url));

interface HubState {
  release: ReleasePayload | undefined;
  mode: 'up' | 'down';
  requests: { path: string; token: string | undefined }[];
}

function releaseFor(id: string, url: string, logics: Record<string, string> = {}): ReleasePayload {
  return {
    release_id: id,
    project: 'shop',
    env: 'dev',
    storage: {},
    logics,
    schema: { tables: { notes: { id: { generate: 'client' }, columns: { body: { type: 'string' } } } } },
    permissions: { tables: { notes: { select: { roles: ['admin', 'authenticated'] } } } },
    connections: { main: { name: 'main', engine: 'postgres', db_url: url } },
  };
}

async function readJson(request: IncomingMessage): Promise<Record<string, unknown>> {
  let text = '';
  for await (const chunk of request) text += String(chunk);
  return JSON.parse(text || '{}') as Record<string, unknown>;
}

function startFakeHub(state: HubState): Promise<Server> {
  const send = (response: ServerResponse, status: number, body: unknown) => {
    response.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
  };
  const server = createServer(async (request, response) => {
    const path = request.url ?? '';
    const token = request.headers[SERVICE_TOKEN_HEADER] as string | undefined;
    state.requests.push({ path, token });
    if (state.mode === 'down')
      return send(response, 503, { error: { code: 'SERVICE_UNAVAILABLE', message: 'down', requestId: 'x' } });
    if (path === '/healthz') return send(response, 200, { ok: true });
    if (token !== `Bearer ${TOKEN}`)
      return send(response, 401, {
        error: { code: 'UNAUTHORIZED', message: 'service token required', requestId: 'x' },
      });
    if (path === '/internal/releases/shop/dev/current')
      return state.release ? send(response, 200, state.release) : send(response, 404, {});
    if (path.startsWith('/internal/releases/')) return send(response, 404, {});
    if (path === '/internal/keys/shop/dev')
      return send(response, 200, { project: 'shop', env: 'dev', keys: deriveAccessKeys(SECRETS, 'shop', 'dev') });
    if (path === '/internal/apikeys/verify') {
      const body = await readJson(request);
      const valid = body.key_id === 'admin' && body.secret === 'good';
      return send(
        response,
        200,
        valid
          ? {
              valid,
              key: {
                id: 'admin',
                project_id: 'shop',
                env_id: 'dev',
                project_name: 'shop',
                env_name: 'dev',
                roles: ['admin'],
              },
            }
          : { valid: false },
      );
    }
    return send(response, 404, {});
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

async function waitForLine(child: ChildProcess, pattern: RegExp, timeoutMs: number): Promise<RegExpMatchArray> {
  let output = '';
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no ${pattern} within ${timeoutMs} ms: ${output}`)), timeoutMs);
    child.stdout?.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      const match = pattern.exec(output);
      if (match) {
        clearTimeout(timer);
        resolve(match);
      }
    });
    child.once('exit', (code) => reject(new Error(`bridge exited with ${code}: ${output}`)));
  });
}

let postgres: TestPostgres;
let urls: string[];
let hub: Server;
let hubUrl: string;
const state: HubState = { release: undefined, mode: 'up', requests: [] };

async function bridgeConnections(database: string): Promise<number> {
  const client = new pg.Client(postgres.url());
  await client.connect();
  const rows = await client.query(
    `SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = $1 AND application_name = ''`,
    [database],
  );
  await client.end();
  return (rows.rows[0] as { n: number }).n;
}

describe('bridge over HTTP against a contract-shaped Hub', () => {
  before(async () => {
    postgres = await startTestPostgres();
    urls = [await postgres.createDatabase('one'), await postgres.createDatabase('two')];
    for (const [index, url] of urls.entries()) {
      const client = new pg.Client(url);
      await client.connect();
      await client.query(
        `CREATE TABLE notes (id text PRIMARY KEY, body text NOT NULL); INSERT INTO notes VALUES ('n1', 'from db ${index + 1}')`,
      );
      await client.end();
    }
    state.release = releaseFor('r1', urls[0] ?? '');
    hub = await startFakeHub(state);
    hubUrl = `http://127.0.0.1:${(hub.address() as AddressInfo).port}`;
  });
  after(async () => {
    hub.close();
    await postgres.stop();
  });

  test('main.ts: listens, sends the service token, follows promotes within the bound, closes replaced pools, stops on SIGTERM', async () => {
    const port = await freePort();
    const child = spawn(process.execPath, ['--import', 'tsx', MAIN], {
      env: {
        ...process.env,
        STK_BRIDGE_PORT: String(port),
        STK_HUB_URL: hubUrl,
        STK_SERVICE_TOKEN: TOKEN,
        STK_BRIDGE_HOST: '127.0.0.1',
        STK_PASETO_KEYS: '',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    try {
      assert.equal((await waitForLine(child, /bridge listening on (\d+)/, 20_000))[1], String(port));
      const base = `http://127.0.0.1:${port}`;
      const call = async (params: unknown, headers: Record<string, string>, path = 'db/notes/select') => {
        const response = await fetch(`${base}/call`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', ...headers },
          body: JSON.stringify({ path, params }),
        });
        return {
          status: response.status,
          body: (await response.json()) as { data?: { body?: string }[]; error?: { code: string } },
          id: response.headers.get('x-request-id'),
        };
      };
      const key = { 'x-santokit-api-key': 'admin.good' };
      const first = await call({}, key);
      assert.equal(first.status, 200);
      assert.equal(first.body.data?.[0]?.body, 'from db 1');
      assert.match(first.id ?? '', /^[0-9a-f-]{36}$/);
      assert.equal(
        (await call({}, { authorization: `Bearer ${endUserToken('shop', 'alice')}` })).status,
        200,
        'token keys fetched from the Hub',
      );
      assert.ok(state.requests.some((request) => request.path === '/internal/keys/shop/dev'));
      assert.ok(
        state.requests
          .filter((request) => request.path.startsWith('/internal/'))
          .every((request) => request.token === `Bearer ${TOKEN}`),
        'service token on every internal call',
      );
      assert.equal((await call({}, { 'x-santokit-api-key': 'admin.bad' })).status, 401);
      assert.ok((await bridgeConnections('one')) > 0);

      state.release = releaseFor('r2', urls[1] ?? '');
      const promoted = Date.now();
      let seen = await call({}, key);
      while (seen.body.data?.[0]?.body !== 'from db 2' && Date.now() - promoted < 3_000) seen = await call({}, key);
      assert.equal(seen.body.data?.[0]?.body, 'from db 2');
      assert.ok(Date.now() - promoted < 1_500, `promote visible after ${Date.now() - promoted} ms`);
      const closing = Date.now();
      while ((await bridgeConnections('one')) > 0 && Date.now() - closing < 3_000)
        await new Promise((resolve) => setTimeout(resolve, 50));
      assert.equal(await bridgeConnections('one'), 0, 'the pool of the replaced URL is closed');

      const ready = await fetch(`${base}/readyz?project=shop&env=dev`);
      assert.deepEqual([ready.status, await ready.json()], [200, { ok: true }]);
      const unknown = await fetch(`${base}/readyz?project=nosuch&env=dev`);
      assert.deepEqual([unknown.status, await unknown.json()], [503, { ok: false }]);
      state.mode = 'down';
      await new Promise((resolve) => setTimeout(resolve, 1_100));
      assert.equal((await call({}, key)).status, 503, 'API-key verdicts are never served stale');
      assert.equal(
        (await call({}, { authorization: `Bearer ${endUserToken('shop', 'alice')}` })).status,
        200,
        'cached release and keys serve while the Hub is down',
      );
      assert.equal((await fetch(`${base}/readyz`)).status, 200, 'ready on a usable cached release');
      state.mode = 'up';
      assert.equal((await fetch(`${base}/health`)).status, 200);
    } finally {
      child.kill('SIGTERM');
    }
    const [code] = (await once(child, 'exit')) as [number | null];
    assert.equal(code, 0);
  });

  test('with STK_PASETO_KEYS the keys are derived locally; an unreachable Hub and no cache is 503', async () => {
    state.release = releaseFor('r3', urls[0] ?? '');
    const pools = createPools();
    const app = createBridgeApp({
      hub: withLocalKeys(createHttpHubClient(hubUrl, TOKEN), 'k1:bridge-test-secret-0001'),
      pools,
    });
    const server = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' });
    await once(server, 'listening');
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    try {
      state.requests = [];
      const response = await fetch(`${base}/call`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${endUserToken('shop', 'alice')}` },
        body: JSON.stringify({ path: 'db/notes/select' }),
      });
      assert.equal(response.status, 200, await response.text());
      assert.ok(!state.requests.some((request) => request.path.startsWith('/internal/keys/')), 'no key fetch');
      const operator = endUserToken('__operators__', 'op', { env: '__hub__' });
      const refused = await fetch(`${base}/call`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${operator}` },
        body: JSON.stringify({ path: 'db/notes/select' }),
      });
      assert.equal(refused.status, 401, 'the operator context never gets local keys');
      const bench = await benchBridgeSelect({
        bridgeUrl: base,
        headers: { 'x-santokit-api-key': 'admin.good' },
        pgUrl: urls[0] ?? '',
        table: 'notes',
        where: { id: 'n1' },
        requests: 200,
        concurrency: 8,
      });
      assert.equal(bench.bridge.requests, 200);
      assert.ok(
        bench.bridge.p50Ms > 0 &&
          bench.bridge.p99Ms >= bench.bridge.p50Ms &&
          bench.direct.requestsPerSecond > 0 &&
          bench.overhead > 0,
      );
      const down = createBridgeApp({ hub: createHttpHubClient('http://127.0.0.1:1', TOKEN), pools });
      const outage = await down.request('/call', {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-santokit-project': 'shop', 'x-santokit-env': 'dev' },
        body: JSON.stringify({ path: 'db/notes/select' }),
      });
      assert.equal(outage.status, 503);
      assert.equal(((await outage.json()) as { error: { code: string } }).error.code, 'SERVICE_UNAVAILABLE');
      assert.equal((await down.request('/readyz')).status, 503);
    } finally {
      server.close();
      await pools.closeAll();
    }
  });
});
