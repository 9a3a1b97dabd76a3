import assert from 'node:assert/strict';
import {
  defineScenario,
  expectApplyRefused,
  expectEnvelope,
  expectNoObject,
  expectObject,
  expectSigned,
  expiresOf,
  fetchSigned,
  readProjectFolder,
  storageCall,
  storageProject,
} from '../kit/index.ts';

const PNG = { contentType: 'image/png' } as const;
const MIB = 1024 * 1024;

export const uploadThroughSignedUrl = defineScenario(
  'STORAGE-001',
  'an end user signs an upload and the store keeps exactly those bytes under the key',
  async (ctx) => {
    const s = await storageProject(ctx, 'upload');
    const body = 'P'.repeat(1024);
    const signed = expectSigned(
      await storageCall(ctx, 'upload_sign', { key: 'avatars/me.png', ...PNG, contentLength: 1024 }, s.asOwner),
      'PUT',
    );
    assert.deepEqual(signed.headers, { 'Content-Type': 'image/png' }, 'the headers the client must send');
    const url = new URL(signed.url);
    assert.ok(url.pathname.endsWith('/avatars/me.png'), `the URL names the key: ${url.pathname}`);
    assert.equal(url.searchParams.get('X-Amz-Algorithm'), 'AWS4-HMAC-SHA256', 'a SigV4 presigned URL');
    assert.match(url.searchParams.get('X-Amz-Signature') ?? '', /^[0-9a-f]{64}$/);
    assert.deepEqual(
      url.searchParams.get('X-Amz-SignedHeaders')?.split(';'),
      ['content-length', 'content-type', 'host'],
      'length and type are signed',
    );
    assert.equal(expiresOf(signed.url), 300, 'upload URLs live 5 minutes by default');
    const put = await fetchSigned(ctx, 'PUT', signed.url, { body, headers: signed.headers });
    assert.equal(put.status, 200, `the store accepts the signed PUT: ${put.text}`);
    await expectObject(ctx, s.anonymous, 'avatars/me.png', body);
    expectSigned(
      await storageCall(ctx, 'upload_sign', { key: 'avatars/edge.png', ...PNG, contentLength: 5 * MIB }, s.asOwner),
      'PUT',
    );
    const living = (expiresIn: number) =>
      storageCall(ctx, 'upload_sign', { key: 'avatars/long.png', ...PNG, contentLength: 1, expiresIn }, s.asOwner);
    assert.equal(expiresOf(expectSigned(await living(900), 'PUT').url), 900, 'at most 15 minutes');
    expectEnvelope(await living(901), { what: 'expiresIn 901', status: 400, code: 'BAD_REQUEST' });
  },
);

export const uploadUrlIsBound = defineScenario(
  'STORAGE-001',
  'the upload URL is bound to its key, content type, length and method; the store refuses any change',
  async (ctx) => {
    const s = await storageProject(ctx, 'bound');
    const body = 'sixteen bytes!!!';
    const signed = expectSigned(
      await storageCall(ctx, 'upload_sign', { key: 'avatars/bound.png', ...PNG, contentLength: 16 }, s.asOwner),
      'PUT',
    );
    const refused = async (
      what: string,
      method: string,
      url: string,
      options: { body?: string; headers?: Record<string, string> },
      code: string,
    ) => {
      const answer = await fetchSigned(ctx, method, url, options);
      assert.deepEqual([answer.status, answer.code], [403, code], `${what}: ${answer.text.slice(0, 300)}`);
    };
    await refused(
      'another content type',
      'PUT',
      signed.url,
      { body, headers: { 'Content-Type': 'image/jpeg' } },
      'SignatureDoesNotMatch',
    );
    await refused(
      'a longer body',
      'PUT',
      signed.url,
      { body: `${body}!`, headers: signed.headers },
      'SignatureDoesNotMatch',
    );
    await refused(
      'another key',
      'PUT',
      signed.url.replace('/avatars/bound.png', '/avatars/other.png'),
      { body, headers: signed.headers },
      'SignatureDoesNotMatch',
    );
    await refused('another method', 'GET', signed.url, {}, 'SignatureDoesNotMatch');
    await refused(
      'a changed signature',
      'PUT',
      signed.url.replace(/X-Amz-Signature=([0-9a-f])/, (_m, c: string) => `X-Amz-Signature=${c === '0' ? '1' : '0'}`),
      { body, headers: signed.headers },
      'SignatureDoesNotMatch',
    );
    await refused(
      'no signature at all',
      'PUT',
      signed.url.split('?')[0] ?? '',
      { body, headers: signed.headers },
      'AccessDenied',
    );
    await expectNoObject(ctx, s.anonymous, 'avatars/bound.png');
    await expectNoObject(ctx, s.anonymous, 'avatars/other.png');
    assert.equal(
      (await fetchSigned(ctx, 'PUT', signed.url, { body, headers: signed.headers })).status,
      200,
      'the URL as signed still works',
    );
    await expectObject(ctx, s.anonymous, 'avatars/bound.png', body);
  },
);

export const keysAreNormalised = defineScenario(
  'STORAGE-001',
  'keys with .., a leading /, //, control characters or nothing at all are refused before any policy is read',
  async (ctx) => {
    const s = await storageProject(ctx, 'keys');
    const bad: unknown[] = [
      '../avatars/x.png',
      '/avatars/x.png',
      'avatars//x.png',
      'avatars/a..b.png',
      'avatars/x\u0007.png',
      'avatars/',
      '',
      '   ',
      42,
      'nowhere/../x.png',
    ];
    for (const key of bad) {
      const error = expectEnvelope(
        await storageCall(ctx, 'upload_sign', { key, ...PNG, contentLength: 1 }, s.asOwner),
        { what: `key ${JSON.stringify(key)}`, status: 400, code: 'BAD_REQUEST' },
      );
      assert.match(String(error.message), /key/, `the message is about the key: ${String(error.message)}`);
    }
    expectEnvelope(await storageCall(ctx, 'upload_sign', { ...PNG, contentLength: 1 }, s.asOwner), {
      what: 'no key',
      status: 400,
      code: 'BAD_REQUEST',
    });
    expectEnvelope(await storageCall(ctx, 'upload_sign', { key: '../x.png' }, s.anonymous), {
      what: 'anonymous with a bad key: the key is checked before the policy',
      status: 400,
      code: 'BAD_REQUEST',
    });
    const trimmed = expectSigned(
      await storageCall(ctx, 'upload_sign', { key: '  avatars/trim.png ', ...PNG, contentLength: 1 }, s.asOwner),
      'PUT',
    );
    assert.ok(new URL(trimmed.url).pathname.endsWith('/avatars/trim.png'), 'surrounding spaces are trimmed');
  },
);

export const uploadLimits = defineScenario(
  'STORAGE-001',
  'maxSize needs a contentLength within it and allowedTypes a contentType from the list',
  async (ctx) => {
    const s = await storageProject(ctx, 'limits');
    const sign = (params: Record<string, unknown>) =>
      storageCall(ctx, 'upload_sign', { key: 'avatars/big.png', ...params }, s.asOwner);
    for (const [what, params, fragment] of [
      ['one byte over 5MB', { ...PNG, contentLength: 5 * MIB + 1 }, /maxSize/],
      ['6 MiB', { ...PNG, contentLength: 6 * MIB }, /maxSize/],
      ['no contentLength', { ...PNG }, /contentLength/],
      ['a negative length', { ...PNG, contentLength: -1 }, /contentLength/],
      ['a length as text', { ...PNG, contentLength: '1024' }, /contentLength/],
      ['a type not listed', { contentType: 'image/gif', contentLength: 10 }, /contentType/],
      ['no contentType', { contentLength: 10 }, /contentType/],
    ] as const) {
      const error = expectEnvelope(await sign(params), { what, status: 400, code: 'BAD_REQUEST' });
      assert.match(String(error.message), fragment, `${what}: ${String(error.message)}`);
    }
    expectSigned(await sign({ contentType: 'IMAGE/PNG', contentLength: 10 }), 'PUT');
  },
);

export const uploadRefusals = defineScenario(
  'STORAGE-001',
  'no credential is 401; a wrong role, a false condition, no rule for the op or no matching pattern is 403',
  async (ctx) => {
    const s = await storageProject(ctx, 'refuse');
    const params = { ...PNG, contentLength: 10 };
    const refused = async (what: string, key: string, who: typeof s.asOwner, status: number, code: string) =>
      expectEnvelope(await storageCall(ctx, 'upload_sign', { key, ...params }, who), { what, status, code });
    await refused('anonymous on an authenticated rule', 'avatars/x.png', s.anonymous, 401, 'UNAUTHORIZED');
    await refused('an API key with role server', 'avatars/x.png', await s.apiKey('server'), 403, 'FORBIDDEN');
    const condition = await refused('condition "false"', 'denied/x.png', s.asOwner, 403, 'FORBIDDEN');
    assert.match(String(condition.message), /condition/);
    await refused('a pattern with no upload_sign rule', 'public/x.png', s.asOwner, 403, 'FORBIDDEN');
    await refused('a key no pattern matches', 'documents/readme.txt', s.asOwner, 403, 'FORBIDDEN');
    expectEnvelope(await ctx.bridge.call('storage/main/upload', { key: 'avatars/x.png' }, s.asOwner), {
      what: 'an unknown op',
      status: 404,
      code: 'NOT_FOUND',
    });
    expectEnvelope(await ctx.bridge.call('storage/main', { key: 'avatars/x.png' }, s.asOwner), {
      what: 'no op in the path',
      status: 400,
      code: 'BAD_REQUEST',
    });
    expectEnvelope(
      await ctx.bridge.call('storage/Main_Bucket/upload_sign', { key: 'avatars/x.png', ...params }, s.asOwner),
      { what: 'a malformed bucket name', status: 400, code: 'BAD_REQUEST' },
    );
    expectEnvelope(await ctx.bridge.call('storage/main/upload_sign', ['avatars/x.png'], s.asOwner), {
      what: 'params not an object',
      status: 400,
      code: 'BAD_REQUEST',
    });
  },
);

export const storageConfigRefused = defineScenario(
  'STORAGE-001',
  'apply refuses a storage.yaml of the wrong shape, naming the file and the path, and keeps the release',
  async (ctx) => {
    const s = await storageProject(ctx, 'badcfg');
    // Through stk once (it reads config/storage.yaml from the folder), then straight at the Hub: docker exec is slow under compose.
    const first = await expectApplyRefused(ctx, {
      project: s.project,
      env: s.env,
      fixture: 'storage_bad_op',
      file: 'config/storage.yaml',
    });
    assert.ok(first.message.includes('policies.avatars/*.read'), `the message names the path: ${first.message}`);
    const token = await ctx.operatorToken();
    const current = async () =>
      (
        (await ctx.hub.get('/api/releases/current', { query: { project: s.project, env: s.env }, token })).json as
          { release_id?: unknown } | undefined
      )?.release_id;
    const before = await current();
    for (const [fixture, path] of [
      ['storage_bad_size', 'policies.avatars/*.upload_sign.maxSize'],
      ['storage_bad_pattern', 'policies.docs//{userId}'],
    ] as const) {
      const body = { project: s.project, env: s.env, ref: fixture, ...readProjectFolder(ctx.fixture(fixture)) };
      const error = expectEnvelope(await ctx.hub.post('/api/apply', body, { token }), {
        what: fixture,
        status: 400,
        code: 'SCHEMA_VALIDATION_FAILED',
      });
      assert.deepEqual(
        error.details,
        { file: 'config/storage.yaml', path },
        `${fixture}: details name the file and the path`,
      );
    }
    assert.equal(await current(), before, 'the current release is unchanged');
    expectSigned(
      await storageCall(ctx, 'upload_sign', { key: 'avatars/still.png', ...PNG, contentLength: 1 }, s.asOwner),
      'PUT',
    );
  },
  { timeoutMs: 120_000 },
);
