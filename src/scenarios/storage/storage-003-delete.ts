import assert from 'node:assert/strict';
import {
  defineScenario,
  expectEnvelope,
  expectNoObject,
  expectObject,
  expectStatus,
  storageCall,
  storageProject,
  uploadObject,
} from '../kit/index.ts';

export const ownerDeletes = defineScenario(
  'STORAGE-003',
  'the owner deletes an object: the answer is exactly {} and the store no longer has it; deleting again answers the same',
  async (ctx) => {
    const s = await storageProject(ctx, 'delete');
    const key = `docs/${s.owner.sub}/del.pdf`;
    await uploadObject(ctx, s.asOwner, key, '%PDF-delete', 'application/pdf');
    for (const attempt of ['first', 'second']) {
      const answer = await storageCall(ctx, 'delete', { key }, s.asOwner);
      expectStatus(answer, 200, `${attempt} delete`);
      assert.deepEqual(answer.json, { data: {} }, `${attempt} delete answers {"data": {}}`);
      await expectNoObject(ctx, s.asOwner, key);
    }
    const byAdmin = `docs/${s.owner.sub}/admin.pdf`;
    await uploadObject(ctx, s.asOwner, byAdmin, '%PDF-admin', 'application/pdf');
    assert.deepEqual(
      (await storageCall(ctx, 'delete', { key: byAdmin }, await s.apiKey('admin'))).json,
      { data: {} },
      "an admin key deletes any user's document (the condition's bypass)",
    );
    await expectNoObject(ctx, s.asOwner, byAdmin);
  },
);

export const deleteRefusals = defineScenario(
  'STORAGE-003',
  'without a delete rule, a matching pattern, a role or a true condition nothing is deleted',
  async (ctx) => {
    const s = await storageProject(ctx, 'nodelete');
    const key = `docs/${s.owner.sub}/keep.pdf`;
    await uploadObject(ctx, s.asOwner, key, '%PDF-keep', 'application/pdf');
    const refused = async (what: string, target: string, who: typeof s.asOwner, status: number, code: string) =>
      expectEnvelope(await storageCall(ctx, 'delete', { key: target }, who), { what, status, code });
    const other = await refused('another end user', key, s.asOther, 403, 'FORBIDDEN');
    assert.match(String(other.message), /condition/);
    await refused('no credential', key, s.anonymous, 401, 'UNAUTHORIZED');
    await refused('an API key with role server', key, await s.apiKey('server'), 403, 'FORBIDDEN');
    const noRule = await refused('a pattern without a delete rule', 'public/logo.png', s.asOwner, 403, 'FORBIDDEN');
    assert.match(String(noRule.message), /no delete rule/);
    await refused('a key no pattern matches', 'secret/top.pdf', s.asOwner, 403, 'FORBIDDEN');
    await expectObject(ctx, s.asOwner, key, '%PDF-keep');
  },
);

export const deleteKeysNormalised = defineScenario(
  'STORAGE-003',
  'keys with .., a leading / or // are refused before any policy is read',
  async (ctx) => {
    const s = await storageProject(ctx, 'delkeys');
    for (const key of ['../docs/a/x.pdf', '/docs/a/x.pdf', 'docs//a/x.pdf', `docs/${s.owner.sub}/../x.pdf`]) {
      for (const [who, credentials] of [
        ['owner', s.asOwner],
        ['anonymous', s.anonymous],
      ] as const) {
        expectEnvelope(await storageCall(ctx, 'delete', { key }, credentials), {
          what: `${who} deleting ${key}`,
          status: 400,
          code: 'BAD_REQUEST',
        });
      }
    }
  },
);
