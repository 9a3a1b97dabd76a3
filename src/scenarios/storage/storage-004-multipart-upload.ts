import assert from 'node:assert/strict';
import {
  defineScenario,
  downloadObject,
  expectEnvelope,
  expectSigned,
  fetchSigned,
  storageCall,
  storageProject,
  type Credentials,
  type ScenarioContext,
} from '../kit/index.ts';

const MIB = 1024 * 1024;
const MP4 = { contentType: 'video/mp4' } as const;

async function createUpload(
  ctx: ScenarioContext,
  who: Credentials,
  key: string,
  contentLength = 12 * MIB,
): Promise<string> {
  const created = await storageCall(ctx, 'multipart_create', { key, ...MP4, contentLength }, who);
  const uploadId = (created.json as { data?: { uploadId?: unknown } } | undefined)?.data?.uploadId;
  assert.equal(created.status, 200, `multipart_create ${key}: ${created.text}`);
  assert.ok(typeof uploadId === 'string' && uploadId !== '', `data.uploadId is a non-empty string: ${created.text}`);
  return uploadId;
}

async function putPart(
  ctx: ScenarioContext,
  who: Credentials,
  key: string,
  uploadId: string,
  partNumber: number,
  body: string,
): Promise<string> {
  const signed = expectSigned(await storageCall(ctx, 'multipart_sign_part', { key, uploadId, partNumber }, who), 'PUT');
  assert.ok(
    signed.url.includes(`partNumber=${partNumber}`) && signed.url.includes('uploadId='),
    `the URL is for this part: ${signed.url}`,
  );
  const put = await fetchSigned(ctx, 'PUT', signed.url, { body });
  assert.equal(put.status, 200, `PUT part ${partNumber}: ${put.text.slice(0, 300)}`);
  assert.ok(put.headers.etag, 'the store answers the part with an ETag');
  return put.headers.etag;
}

export const multipartRoundTrip = defineScenario(
  'STORAGE-004',
  'create, sign two parts, PUT 6 MiB each and complete: the store holds the 12 MiB object',
  async (ctx) => {
    const s = await storageProject(ctx, 'multipart');
    const key = `videos/${s.owner.sub}/v.mp4`;
    const uploadId = await createUpload(ctx, s.asOwner, key);
    const etags = [
      await putPart(ctx, s.asOwner, key, uploadId, 1, 'a'.repeat(6 * MIB)),
      await putPart(ctx, s.asOwner, key, uploadId, 2, 'b'.repeat(6 * MIB)),
    ];
    const parts = etags.map((etag, index) => ({ partNumber: index + 1, etag }));
    const completed = await storageCall(ctx, 'multipart_complete', { key, uploadId, parts }, s.asOwner);
    assert.deepEqual([completed.status, completed.json], [200, { data: {} }], `complete: ${completed.text}`);
    const object = await downloadObject(ctx, s.asOwner, key);
    assert.equal(object.status, 200);
    assert.equal(object.text.length, 12 * MIB, 'the object is both parts long');
    assert.deepEqual(
      [object.text[0], object.text[6 * MIB - 1], object.text[6 * MIB], object.text[12 * MIB - 1]],
      ['a', 'a', 'b', 'b'],
      'parts in order',
    );
    expectEnvelope(await storageCall(ctx, 'multipart_complete', { key, uploadId, parts }, s.asOwner), {
      what: 'completing a finished upload',
      status: 400,
      code: 'BAD_REQUEST',
    });
  },
);

export const multipartAbort = defineScenario(
  'STORAGE-004',
  'after an abort the upload id can be neither signed nor completed',
  async (ctx) => {
    const s = await storageProject(ctx, 'abort');
    const key = `videos/${s.owner.sub}/abort.mp4`;
    const uploadId = await createUpload(ctx, s.asOwner, key, 8 * MIB);
    const signed = expectSigned(
      await storageCall(ctx, 'multipart_sign_part', { key, uploadId, partNumber: 2 }, s.asOwner),
      'PUT',
    );
    const etag = await putPart(ctx, s.asOwner, key, uploadId, 1, 'x'.repeat(1024));
    const aborted = await storageCall(ctx, 'multipart_abort', { key, uploadId }, s.asOwner);
    assert.deepEqual([aborted.status, aborted.json], [200, { data: {} }], `abort: ${aborted.text}`);
    const invalid = expectEnvelope(
      await storageCall(ctx, 'multipart_sign_part', { key, uploadId, partNumber: 3 }, s.asOwner),
      { what: 'signing a part after the abort', status: 400, code: 'BAD_REQUEST' },
    );
    assert.match(String(invalid.message), /uploadId/);
    expectEnvelope(
      await storageCall(ctx, 'multipart_complete', { key, uploadId, parts: [{ partNumber: 1, etag }] }, s.asOwner),
      { what: 'completing after the abort', status: 400, code: 'BAD_REQUEST' },
    );
    expectEnvelope(await storageCall(ctx, 'multipart_abort', { key, uploadId }, s.asOwner), {
      what: 'aborting twice',
      status: 400,
      code: 'BAD_REQUEST',
    });
    const late = await fetchSigned(ctx, 'PUT', signed.url, { body: 'late part' });
    assert.deepEqual(
      [late.status, late.code],
      [404, 'NoSuchUpload'],
      `a part URL signed before the abort: ${late.text.slice(0, 300)}`,
    );
    const object = await downloadObject(ctx, s.asOwner, key);
    assert.deepEqual([object.status, object.code], [404, 'NoSuchKey'], 'nothing was assembled');
  },
);

export const multipartCreateRule = defineScenario(
  'STORAGE-004',
  "create applies the upload rule: size, type, credential, role and the owner's condition",
  async (ctx) => {
    const s = await storageProject(ctx, 'mpcreate');
    const key = `videos/${s.owner.sub}/c.mp4`;
    const refused = async (
      what: string,
      params: Record<string, unknown>,
      who: Credentials,
      status: number,
      code: string,
    ) =>
      expectEnvelope(
        await storageCall(ctx, 'multipart_create', { key, ...MP4, contentLength: 5 * MIB, ...params }, who),
        { what, status, code },
      );
    await refused('21 MiB over maxSize 20MB', { contentLength: 21 * MIB }, s.asOwner, 400, 'BAD_REQUEST');
    await refused('a type not listed', { contentType: 'video/quicktime' }, s.asOwner, 400, 'BAD_REQUEST');
    await refused('no contentLength', { contentLength: undefined }, s.asOwner, 400, 'BAD_REQUEST');
    await refused('no credential', {}, s.anonymous, 401, 'UNAUTHORIZED');
    await refused('an API key with role server', {}, await s.apiKey('server'), 403, 'FORBIDDEN');
    await refused("another user under the owner's prefix", {}, s.asOther, 403, 'FORBIDDEN');
    await refused('a pattern whose condition is false', { key: 'denied/x.mp4' }, s.asOwner, 403, 'FORBIDDEN');
    await refused('a bad key', { key: `videos/${s.owner.sub}/../x.mp4` }, s.asOwner, 400, 'BAD_REQUEST');
  },
);

export const multipartParams = defineScenario(
  'STORAGE-004',
  'bad part numbers, unknown or foreign upload ids and bad part lists are refused',
  async (ctx) => {
    const s = await storageProject(ctx, 'mpparams');
    const key = `videos/${s.owner.sub}/p.mp4`;
    const uploadId = await createUpload(ctx, s.asOwner, key);
    const otherKey = `videos/${s.owner.sub}/q.mp4`;
    await createUpload(ctx, s.asOwner, otherKey);
    const bad = async (
      what: string,
      op: string,
      params: Record<string, unknown>,
      who: Credentials = s.asOwner,
      status = 400,
      code = 'BAD_REQUEST',
    ) => expectEnvelope(await storageCall(ctx, op, { key, uploadId, ...params }, who), { what, status, code });
    for (const partNumber of [0, 10_001, '1', 1.5, undefined])
      await bad(`partNumber ${JSON.stringify(partNumber)}`, 'multipart_sign_part', { partNumber });
    await bad('no uploadId', 'multipart_sign_part', { uploadId: undefined, partNumber: 1 });
    await bad('an unknown uploadId', 'multipart_sign_part', { uploadId: 'mpu_invalid', partNumber: 1 });
    await bad('an uploadId made for another key', 'multipart_sign_part', { key: otherKey, partNumber: 1 });
    await bad(
      "another user with the owner's uploadId",
      'multipart_sign_part',
      { partNumber: 1 },
      s.asOther,
      403,
      'FORBIDDEN',
    );
    const tiny = [
      await putPart(ctx, s.asOwner, key, uploadId, 1, 'one'),
      await putPart(ctx, s.asOwner, key, uploadId, 2, 'two'),
    ];
    await bad('no parts', 'multipart_complete', { parts: undefined });
    await bad('an empty part list', 'multipart_complete', { parts: [] });
    await bad('parts out of order', 'multipart_complete', {
      parts: [
        { partNumber: 2, etag: tiny[1] },
        { partNumber: 1, etag: tiny[0] },
      ],
    });
    await bad('an empty etag', 'multipart_complete', { parts: [{ partNumber: 1, etag: '' }] });
    await bad('an etag the store does not have', 'multipart_complete', {
      parts: [{ partNumber: 1, etag: '"etag-1"' }],
    });
    await bad('a first part under 5 MiB', 'multipart_complete', {
      parts: [
        { partNumber: 1, etag: tiny[0] },
        { partNumber: 2, etag: tiny[1] },
      ],
    });
    const abort = await storageCall(ctx, 'multipart_abort', { key, uploadId }, s.asOwner);
    assert.equal(abort.status, 200, 'the upload was still open after every refusal');
  },
);
