/**
 * OPERATOR-002 at the Hub's own routes, below `stk`: what a create body must
 * hold, the envelope of each refusal, and the bodies of list and revoke.
 */
import assert from 'node:assert/strict';
import {
  bootstrapProject,
  defineScenario,
  expectEnvelope,
  expectRows,
  expectStatus,
  projectOperator,
} from '../kit/index.ts';
import type { EnvelopeCheck, HttpResponse, ScenarioContext } from '../kit/index.ts';

type Target = { readonly project: string; readonly env: string };

async function createKey(ctx: ScenarioContext, target: Target, body: Record<string, unknown>): Promise<HttpResponse> {
  return ctx.hub.post('/api/apikeys/create', { ...target, ...body }, { token: await ctx.operatorToken() });
}

async function listKeys(ctx: ScenarioContext, target: Target): Promise<Record<string, unknown>[]> {
  const listed = await ctx.hub.get('/api/apikeys/list', { token: await ctx.operatorToken(), query: { ...target } });
  expectStatus(listed, 200, 'API key list');
  return listed.json as Record<string, unknown>[];
}

/** Role lists outside conventions.md's role pattern `^[a-z][a-z0-9_-]{0,62}$`: each is 422 INVALID_ROLE. */
const OUTSIDE_PATTERN: readonly (readonly string[])[] = [
  ['Admin'],
  ['9lives'],
  ['admin!'],
  ['reader', 'bad role'],
  [' admin'],
  ['admin', ''],
  ['a'.repeat(64)],
];

export const createBodies = defineScenario(
  'OPERATOR-002',
  'the Hub refuses a create body without a roles list, with a role outside the pattern, a reserved role or a used name',
  async (ctx) => {
    const { project, env } = await bootstrapProject(ctx, 'basic', { prefix: 'keybody' });
    const target = { project, env };
    const refuse = async (body: Record<string, unknown>, check: EnvelopeCheck) =>
      expectEnvelope(await createKey(ctx, target, { name: 'refused', ...body }), check);
    // errors.md: a missing field or one of the wrong JSON type is 400 and the message names it;
    // Santokit's Hub reads `roles` as a list of strings, so a comma string is not one.
    for (const [what, body] of [
      ['no roles field', {}],
      ['roles as one comma string', { roles: 'admin,reader' }],
    ] as const) {
      const error = await refuse(body, { what, status: 400, code: 'BAD_REQUEST' });
      assert.match(String(error.message), /roles/, `${what}: the message names the field`);
    }
    // OPERATOR-002 and errors.md: an empty list, a name outside the pattern or a reserved name is 422 INVALID_ROLE.
    await refuse({ roles: [] }, { what: 'an empty roles list', status: 422, code: 'INVALID_ROLE' });
    for (const roles of [...OUTSIDE_PATTERN, ['public'], ['reader', 'authenticated']])
      await refuse({ roles }, { what: `roles ${JSON.stringify(roles)}`, status: 422, code: 'INVALID_ROLE' });
    assert.deepEqual(await listKeys(ctx, target), [], 'no refused key is listed');

    // The pattern's longest name (63 characters) is a role like any other.
    const longest = 'a'.repeat(63);
    const created = await createKey(ctx, target, { name: 'server', roles: [longest, 'admin'] });
    expectStatus(created, 200, 'a key with a 63-character role');
    const key = String((created.json as { api_key?: unknown }).api_key);
    assert.deepEqual((created.json as { roles?: unknown }).roles, [longest, 'admin']);
    expectRows(await ctx.bridge.call('db/users/select', { limit: 1 }, { apiKey: key, ...target }));
    const secret = key.split('.')[1] ?? key;
    await refuse(
      { name: 'server', roles: ['admin'] },
      { what: 'a name used in this project/env', status: 409, code: 'CONFLICT', secrets: [secret] },
    );
    expectRows(await ctx.bridge.call('db/users/select', { limit: 1 }, { apiKey: key, ...target }));
  },
);

export const revokeBodies = defineScenario(
  'OPERATOR-002',
  'only a project admin revokes; revoke answers ok, the list marks the key revoked, an unknown key is 404',
  async (ctx) => {
    const { project, env } = await bootstrapProject(ctx, 'basic', { prefix: 'keyrevoke' });
    const target = { project, env };
    const created = await createKey(ctx, target, { name: 'server', roles: ['admin'] });
    expectStatus(created, 200, 'API key create');
    const { key_id: keyId, api_key: key } = created.json as { key_id: string; api_key: string };
    const select = () => ctx.bridge.call('db/users/select', { limit: 1 }, { apiKey: key, ...target });
    // Santokit's list answers `revoked` (a boolean) for each key; ours also says it as `status`.
    const listed = async () => (await listKeys(ctx, target)).find((item) => item.id === keyId);
    const before = await listed();
    assert.deepEqual([before?.revoked, before?.status], [false, 'active']);

    // Santokit OPERATOR-002: a caller without project admin may not create, list or revoke (403).
    for (const role of ['deployer', 'viewer']) {
      const operator = await projectOperator(ctx, target.project, role);
      const denied = await ctx.hub.post('/api/apikeys/revoke', { ...target, key_id: keyId }, { token: operator.token });
      expectEnvelope(denied, { what: `revoke as ${role}`, status: 403, code: 'FORBIDDEN' });
    }
    expectRows(await select());
    assert.equal((await listed())?.revoked, false, 'the refused revokes changed nothing');

    const revoke = async (keyIdOrName: string) =>
      ctx.hub.post('/api/apikeys/revoke', { ...target, key_id: keyIdOrName }, { token: await ctx.operatorToken() });
    // Santokit's Hub answers a revoke with `{"ok": true}`.
    for (const [what, name] of [
      ['revoke', keyId],
      ['revoking again is a no-op', 'server'],
    ] as const) {
      const answered = await revoke(name);
      expectStatus(answered, 200, what);
      assert.equal((answered.json as { ok?: unknown }).ok, true, `${what}: ok is true`);
    }
    expectEnvelope(await select(), { what: 'the revoked key', status: 401, code: 'UNAUTHORIZED' });
    const after = await listed();
    assert.deepEqual([after?.revoked, after?.status], [true, 'revoked']);
    assert.notEqual(after?.revoked_at, null, 'revoked_at is set');
    expectEnvelope(await revoke('nosuch'), { what: 'an unknown key', status: 404, code: 'NOT_FOUND' });
  },
);
