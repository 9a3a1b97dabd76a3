import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import {
  defineScenario,
  downloadObject,
  expectEnvelope,
  expectObject,
  expectSigned,
  expiresOf,
  fetchSigned,
  storageCall,
  storageProject,
  uploadObject,
} from '../kit/index.ts';

export const publicDownload = defineScenario(
  'STORAGE-002',
  'anyone may sign a public key and fetch the object; download URLs live one minute, five at most',
  async (ctx) => {
    const s = await storageProject(ctx, 'public');
    await uploadObject(ctx, s.asOwner, 'avatars/pub.png', 'hello public', 'image/png');
    const signed = expectSigned(
      await storageCall(ctx, 'download_sign', { key: 'avatars/pub.png' }, s.anonymous),
      'GET',
    );
    assert.equal(expiresOf(signed.url), 60, 'one minute by default');
    const fetched = await fetchSigned(ctx, 'GET', signed.url);
    assert.deepEqual([fetched.status, fetched.text], [200, 'hello public']);
    await expectObject(ctx, await s.apiKey('server'), 'avatars/pub.png', 'hello public');
    assert.equal(
      expiresOf(
        expectSigned(
          await storageCall(ctx, 'download_sign', { key: 'avatars/pub.png', expiresIn: 300 }, s.anonymous),
          'GET',
        ).url,
      ),
      300,
    );
    for (const expiresIn of [301, 0, 1.5, '60']) {
      expectEnvelope(await storageCall(ctx, 'download_sign', { key: 'avatars/pub.png', expiresIn }, s.anonymous), {
        what: `expiresIn ${JSON.stringify(expiresIn)}`,
        status: 400,
        code: 'BAD_REQUEST',
      });
    }
  },
);

export const privateDownload = defineScenario(
  'STORAGE-002',
  'the owner and an auditor download a private document; other callers are refused',
  async (ctx) => {
    const s = await storageProject(ctx, 'private');
    const key = `docs/${s.owner.sub}/a.pdf`;
    await uploadObject(ctx, s.asOwner, key, '%PDF-owner', 'application/pdf');
    await expectObject(ctx, s.asOwner, key, '%PDF-owner');
    await expectObject(ctx, await s.apiKey('auditor'), key, '%PDF-owner');
    const refused = async (what: string, who: typeof s.asOwner, status: number, code: string, target = key) =>
      expectEnvelope(await storageCall(ctx, 'download_sign', { key: target }, who), { what, status, code });
    const other = await refused('another end user', s.asOther, 403, 'FORBIDDEN');
    assert.match(String(other.message), /condition/);
    await refused('no credential', s.anonymous, 401, 'UNAUTHORIZED');
    await refused('an API key with role server', await s.apiKey('server'), 403, 'FORBIDDEN');
    await refused('a key no pattern matches', s.asOwner, 403, 'FORBIDDEN', 'secret/top.pdf');
    for (const bad of ['../avatars/x.jpg', '/avatars/x.jpg', 'avatars//x.jpg'])
      await refused(`key ${bad}`, s.asOwner, 400, 'BAD_REQUEST', bad);
  },
);

export const expiredOrAlteredRefused = defineScenario(
  'STORAGE-002',
  'the store refuses a download URL once it has expired or was altered',
  async (ctx) => {
    const s = await storageProject(ctx, 'expiry');
    const key = `docs/${s.owner.sub}/e.pdf`;
    await uploadObject(ctx, s.asOwner, key, '%PDF-expiry', 'application/pdf');
    await uploadObject(ctx, s.asOther, `docs/${s.other.sub}/e.pdf`, '%PDF-other', 'application/pdf');
    const short = expectSigned(await storageCall(ctx, 'download_sign', { key, expiresIn: 1 }, s.asOwner), 'GET');
    const fresh = expectSigned(await storageCall(ctx, 'download_sign', { key }, s.asOwner), 'GET');
    await sleep(2_200);
    const expired = await fetchSigned(ctx, 'GET', short.url);
    assert.deepEqual([expired.status, expired.code], [403, 'AccessDenied'], `expired: ${expired.text.slice(0, 300)}`);
    assert.match(expired.text, /expired/i);
    const altered: [string, string][] = [
      [
        'a changed signature',
        fresh.url.replace(/X-Amz-Signature=([0-9a-f])/, (_m, c: string) => `X-Amz-Signature=${c === '0' ? '1' : '0'}`),
      ],
      ["another user's key", fresh.url.replace(`/docs/${s.owner.sub}/e.pdf`, `/docs/${s.other.sub}/e.pdf`)],
      ['a longer lifetime', fresh.url.replace('X-Amz-Expires=60', 'X-Amz-Expires=300')],
    ];
    for (const [what, url] of altered) {
      assert.notEqual(url, fresh.url, `${what}: the URL was changed`);
      const answer = await fetchSigned(ctx, 'GET', url);
      assert.deepEqual(
        [answer.status, answer.code],
        [403, 'SignatureDoesNotMatch'],
        `${what}: ${answer.text.slice(0, 300)}`,
      );
    }
    const control = await fetchSigned(ctx, 'GET', fresh.url);
    assert.deepEqual([control.status, control.text], [200, '%PDF-expiry'], 'the unaltered URL still works');
  },
);

export const missingAndIsolated = defineScenario(
  'STORAGE-002',
  "a URL for a missing object yields the store's 404; projects with the same key each read their own object",
  async (ctx) => {
    const [a, b] = await Promise.all([storageProject(ctx, 'isoa'), storageProject(ctx, 'isob')]);
    const missing = await downloadObject(ctx, a.anonymous, 'avatars/none.png');
    assert.deepEqual(
      [missing.status, missing.code],
      [404, 'NoSuchKey'],
      'signing does not check existence; the store answers 404',
    );
    await uploadObject(ctx, a.asOwner, 'avatars/same.png', 'project a', 'image/png');
    await uploadObject(ctx, b.asOwner, 'avatars/same.png', 'project b', 'image/png');
    await expectObject(ctx, a.anonymous, 'avatars/same.png', 'project a');
    await expectObject(ctx, b.anonymous, 'avatars/same.png', 'project b');
  },
);
