import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { createObjectStore } from '../objectstore/store.ts';
import { createBridgeApp } from './app.ts';
import { createPools } from './pools.ts';
import { matchPattern, normalizeKey, parseSize } from './storage-policy.ts';
import { createS3Backend, type StorageBackend } from './storage-s3.ts';
import { addApiKey, createFakeHub, endUserToken } from './test-support.ts';

const credentials = { accessKeyId: 'bridge-test', secretAccessKey: 'bridge-test-secret-000000' };
const storage = {
  policies: {
    'avatars/*': {
      upload_sign: { roles: ['authenticated'], maxSize: '1KB', allowedTypes: ['image/png'] },
      download_sign: { roles: ['public'] },
    },
    'docs/{userId}/*': {
      upload_sign: { roles: ['authenticated'], condition: 'path.userId == request.auth.sub' },
      download_sign: {
        roles: ['authenticated', 'auditor'],
        condition: "path.userId == request.auth.sub || 'auditor' in request.auth.roles",
      },
    },
    'avatars/special.png': { download_sign: { roles: ['nobody'] } },
  },
  policyOrder: ['avatars/special.png', 'avatars/*', 'docs/{userId}/*'],
};

let server: Server;
let directory: string;
let backend: StorageBackend;
const hub = createFakeHub();
const pools = createPools();
let app: ReturnType<typeof createBridgeApp>;

before(async () => {
  directory = mkdtempSync(join(tmpdir(), 'bridge-storage-test-'));
  const store = createObjectStore({ directory, credentials, region: 'us-east-1', buckets: ['main'] });
  await store.prepare();
  server = createServer(store.handle);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  backend = createS3Backend({
    endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    region: 'us-east-1',
    credentials,
  });
  hub.releases.set('shop/dev', {
    release_id: 'r1',
    project: 'shop',
    env: 'dev',
    schema: { tables: {} },
    permissions: { tables: {} },
    storage,
    logics: {},
    connections: {},
  });
  app = createBridgeApp({ hub, pools, storage: backend });
});

after(async () => {
  backend.close();
  await pools.closeAll();
  await new Promise((resolve) => server.close(resolve));
  rmSync(directory, { recursive: true, force: true });
});

async function call(path: string, params: unknown, headers: Record<string, string>) {
  const response = await app.request('/call', {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify({ path, params }),
  });
  return {
    status: response.status,
    body: (await response.json()) as { data?: Record<string, unknown>; error?: { code: string; message: string } },
  };
}

const bearer = (sub: string) => ({ authorization: `Bearer ${endUserToken('shop', sub)}` });
const anonymous = { 'x-santokit-project': 'shop', 'x-santokit-env': 'dev' };

test('keys are normalised before anything else; patterns bind variables; sizes parse 1024-based', () => {
  for (const bad of ['', '  ', '/a', 'a//b', '../a', 'a/..b', 'a/./b', 'a/', 'a\u0000b'])
    assert.throws(() => normalizeKey(bad), /invalid storage key/, JSON.stringify(bad));
  assert.throws(() => normalizeKey(7), /key is required/);
  assert.equal(normalizeKey('  docs/a/b.pdf '), 'docs/a/b.pdf');
  assert.deepEqual(matchPattern('org/{orgId}/user/{userId}/*', 'org/acme/user/u1/x.pdf'), {
    orgId: 'acme',
    userId: 'u1',
  });
  assert.deepEqual(matchPattern('img/*.png', 'img/a.png'), {});
  assert.equal(matchPattern('img/*.png', 'img/a.gif'), undefined);
  assert.equal(matchPattern('img/*', 'img/a/b'), undefined, 'segment counts must agree');
  assert.deepEqual(
    [parseSize('5MB'), parseSize('1kb'), parseSize(12), parseSize('2 GB'), parseSize('5 TB'), parseSize('x')],
    [5 * 1024 ** 2, 1024, 12, 2 * 1024 ** 3, undefined, undefined],
  );
});

test('an upload URL signed by the Bridge is accepted by the store; the object lands under project/env/key', async () => {
  const signed = await call(
    'storage/main/upload_sign',
    { key: 'avatars/a.png', contentType: 'image/png', contentLength: 4 },
    bearer('u1'),
  );
  assert.equal(signed.status, 200, JSON.stringify(signed.body));
  const data = signed.body.data as { url: string; method: string; headers: Record<string, string> };
  assert.equal(data.method, 'PUT');
  assert.deepEqual(data.headers, { 'Content-Type': 'image/png' });
  assert.match(data.url, /\/main\/shop\/dev\/avatars\/a\.png\?.*X-Amz-Expires=300/);
  assert.equal((await fetch(data.url, { method: 'PUT', body: 'png!', headers: data.headers })).status, 200);
  const download = await call('storage/main/download_sign', { key: 'avatars/a.png' }, anonymous);
  const url = (download.body.data as { url: string }).url;
  assert.match(url, /X-Amz-Expires=60/);
  assert.equal(await (await fetch(url)).text(), 'png!');
});

test('first pattern in file order wins; roles, conditions and limits refuse with the documented codes', async () => {
  const special = await call('storage/main/download_sign', { key: 'avatars/special.png' }, anonymous);
  assert.deepEqual(
    [special.status, special.body.error?.code],
    [401, 'UNAUTHORIZED'],
    'avatars/special.png comes first and needs role nobody',
  );
  const cases: [string, unknown, Record<string, string>, number][] = [
    [
      'storage/main/upload_sign',
      { key: 'avatars/b.png', contentType: 'image/png', contentLength: 2048 },
      bearer('u1'),
      400,
    ],
    [
      'storage/main/upload_sign',
      { key: 'avatars/b.png', contentType: 'image/gif', contentLength: 10 },
      bearer('u1'),
      400,
    ],
    ['storage/main/upload_sign', { key: 'avatars/b.png', contentType: 'image/png', contentLength: 10 }, anonymous, 401],
    [
      'storage/main/upload_sign',
      { key: 'avatars/b.png', contentType: 'image/png', contentLength: 10 },
      addApiKey(hub, 'srv', ['server'], 'shop'),
      403,
    ],
    ['storage/main/upload_sign', { key: 'docs/u2/x.pdf' }, bearer('u1'), 403],
    ['storage/main/upload_sign', { key: 'nowhere/x' }, bearer('u1'), 403],
    ['storage/main/delete', { key: 'avatars/a.png' }, bearer('u1'), 403],
    ['storage/main/rename', { key: 'avatars/a.png' }, bearer('u1'), 404],
    ['storage/main/download_sign', { key: 'avatars/a.png', expiresIn: 301 }, anonymous, 400],
    ['storage/Main!/download_sign', { key: 'avatars/a.png' }, anonymous, 400],
  ];
  for (const [path, params, headers, status] of cases) {
    const answer = await call(path, params, headers);
    assert.equal(answer.status, status, `${path} ${JSON.stringify(params)}: ${JSON.stringify(answer.body)}`);
  }
  const auditor = await call(
    'storage/main/download_sign',
    { key: 'docs/u2/x.pdf' },
    addApiKey(hub, 'aud', ['auditor'], 'shop'),
  );
  assert.equal(auditor.status, 200);
});

test('without an object store the policy still answers first, then 503', async () => {
  const bare = createBridgeApp({ hub, pools });
  const ask = async (headers: Record<string, string>) =>
    (
      await bare.request('/call', {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...headers },
        body: JSON.stringify({ path: 'storage/main/download_sign', params: { key: 'docs/u1/x.pdf' } }),
      })
    ).status;
  assert.equal(await ask(anonymous), 401);
  assert.equal(await ask(bearer('u1')), 503);
});
