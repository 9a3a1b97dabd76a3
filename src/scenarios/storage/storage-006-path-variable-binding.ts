import assert from 'node:assert/strict';
import {
  defineScenario,
  expectEnvelope,
  expectObject,
  expectSigned,
  fetchSigned,
  storageCall,
  storageProject,
  uploadObject,
} from '../kit/index.ts';

const PDF = { contentType: 'application/pdf', contentLength: 1000 } as const;

export const pathBoundToCaller = defineScenario(
  'STORAGE-006',
  "a {userId} segment is bound to path.userId: the owner signs, another user is refused, and the owner's URL cannot be moved to another path",
  async (ctx) => {
    const s = await storageProject(ctx, 'pathvar');
    const own = `docs/${s.owner.sub}/report.pdf`;
    const signed = expectSigned(await storageCall(ctx, 'upload_sign', { key: own, ...PDF }, s.asOwner), 'PUT');
    const body = '%'.repeat(1000);
    const moved = await fetchSigned(ctx, 'PUT', signed.url.replace(`/docs/${s.owner.sub}/`, `/docs/${s.other.sub}/`), {
      body,
      headers: signed.headers,
    });
    assert.deepEqual(
      [moved.status, moved.code],
      [403, 'SignatureDoesNotMatch'],
      `the URL moved to another user's path: ${moved.text.slice(0, 200)}`,
    );
    assert.equal((await fetchSigned(ctx, 'PUT', signed.url, { body, headers: signed.headers })).status, 200);
    await expectObject(ctx, s.asOwner, own, body);
    const other = expectEnvelope(await storageCall(ctx, 'upload_sign', { key: own, ...PDF }, s.asOther), {
      what: "another user signing the owner's path",
      status: 403,
      code: 'FORBIDDEN',
    });
    assert.match(String(other.message), /condition/);
    expectEnvelope(
      await storageCall(ctx, 'upload_sign', { key: `docs/${s.other.sub}/report.pdf`, ...PDF }, s.asOwner),
      { what: "the owner signing another user's path", status: 403, code: 'FORBIDDEN' },
    );
  },
);

export const severalVariablesAndAdmin = defineScenario(
  'STORAGE-006',
  'several variables bind at once; the admin bypass admits an admin key on any user, never in another org',
  async (ctx) => {
    const s = await storageProject(ctx, 'orgvar');
    const admin = await s.apiKey('admin');
    const sign = (key: string, who: typeof s.asOwner) => storageCall(ctx, 'upload_sign', { key, ...PDF }, who);
    expectSigned(await sign(`org/acme/user/${s.owner.sub}/r.pdf`, s.asOwner), 'PUT');
    expectEnvelope(await sign(`org/acme/user/${s.other.sub}/r.pdf`, s.asOwner), {
      what: 'path.userId is not the caller',
      status: 403,
      code: 'FORBIDDEN',
    });
    expectEnvelope(await sign(`org/globex/user/${s.owner.sub}/r.pdf`, s.asOwner), {
      what: 'path.orgId is not acme',
      status: 403,
      code: 'FORBIDDEN',
    });
    const forUser = `org/acme/user/${s.owner.sub}/by-admin.pdf`;
    await uploadObject(ctx, admin, forUser, '%PDF-admin', 'application/pdf');
    await expectObject(ctx, s.asOwner, forUser, '%PDF-admin');
    expectEnvelope(await sign(`org/globex/user/${s.owner.sub}/r.pdf`, admin), {
      what: 'an admin key in another org',
      status: 403,
      code: 'FORBIDDEN',
    });
  },
);

export const pathVariableFailures = defineScenario(
  'STORAGE-006',
  'a condition naming a variable the pattern does not bind is 400; no credential is 401; a key of another shape or a wrong role is 403',
  async (ctx) => {
    const s = await storageProject(ctx, 'vartypo');
    const typo = expectEnvelope(
      await storageCall(ctx, 'upload_sign', { key: `typo/${s.owner.sub}/r.pdf`, ...PDF }, s.asOwner),
      { what: 'path.missing in the condition', status: 400, code: 'BAD_REQUEST' },
    );
    assert.match(String(typo.message), /missing/);
    expectEnvelope(await storageCall(ctx, 'upload_sign', { key: `docs/${s.owner.sub}/r.pdf`, ...PDF }, s.anonymous), {
      what: 'no credential',
      status: 401,
      code: 'UNAUTHORIZED',
    });
    expectEnvelope(await storageCall(ctx, 'upload_sign', { key: `docs/${s.owner.sub}`, ...PDF }, s.asOwner), {
      what: 'two segments against docs/{userId}/*',
      status: 403,
      code: 'FORBIDDEN',
    });
    expectEnvelope(await storageCall(ctx, 'upload_sign', { key: `docs/${s.owner.sub}/a/b.pdf`, ...PDF }, s.asOwner), {
      what: 'four segments against docs/{userId}/*',
      status: 403,
      code: 'FORBIDDEN',
    });
    expectEnvelope(
      await storageCall(ctx, 'upload_sign', { key: `docs/${s.owner.sub}/r.pdf`, ...PDF }, await s.apiKey('server')),
      { what: 'an API key with role server', status: 403, code: 'FORBIDDEN' },
    );
  },
);
