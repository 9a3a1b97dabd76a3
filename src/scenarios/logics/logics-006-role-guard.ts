import assert from 'node:assert/strict';
import {
  applyFolder,
  bootstrapProject,
  createApiKey,
  defineScenario,
  expectAffected,
  expectEnvelope,
  expectRows,
  readProjectFolder,
  signupAndLogin,
} from '../kit/index.ts';

export const roleGuard = defineScenario(
  'LOGICS-006',
  'a roles guard admits any caller holding one listed role and refuses the rest',
  async (ctx) => {
    const { project, env, database } = await bootstrapProject(ctx, 'logics_call', { prefix: 'roles' });
    const hints = { project, env };
    const [admin, reader, both] = await Promise.all([
      createApiKey(ctx, project, env, 'admin', 'admin'),
      createApiKey(ctx, project, env, 'reader', 'reader'),
      createApiKey(ctx, project, env, 'reader,admin', 'both'),
    ]);
    for (const name of ['x1', 'x2'])
      expectAffected(
        await ctx.bridge.call('logics/insert_item', { name, owner_id: 'o' }, { apiKey: admin, ...hints }),
        1,
      );
    const [{ total } = { total: -1 }] = await ctx.db.query<{ total: number }>(
      database.name,
      'SELECT count(*)::int AS total FROM items',
    );
    assert.equal(total, 2);
    assert.deepEqual(expectRows(await ctx.bridge.call('logics/admin_only', undefined, { apiKey: admin, ...hints })), [
      { total },
    ]);
    assert.deepEqual(expectRows(await ctx.bridge.call('logics/admin_only', undefined, { apiKey: both, ...hints })), [
      { total },
    ]);
    assert.deepEqual(expectRows(await ctx.bridge.call('logics/public_admin', undefined, { apiKey: admin, ...hints })), [
      { one: 1 },
    ]);
    // The release-snapshot form of the guard, `auth: { roles: [admin] }`, works like `roles: [admin]`.
    assert.deepEqual(
      expectRows(await ctx.bridge.call('logics/admin_only_mapping', undefined, { apiKey: admin, ...hints })),
      [{ total }],
    );

    const user = await signupAndLogin(ctx, project, env);
    const asUser = { bearer: user.accessToken, ...hints };
    const cases = [
      ['anonymous on admin_only', ctx.bridge.call('logics/admin_only', undefined, hints), 401, 'UNAUTHORIZED'],
      ['end user on admin_only', ctx.bridge.call('logics/admin_only', undefined, asUser), 403, 'FORBIDDEN'],
      [
        'reader key on admin_only',
        ctx.bridge.call('logics/admin_only', undefined, { apiKey: reader, ...hints }),
        403,
        'FORBIDDEN',
      ],
      ['anonymous on public_admin', ctx.bridge.call('logics/public_admin', undefined, hints), 401, 'UNAUTHORIZED'],
      [
        'reader key on public_admin',
        ctx.bridge.call('logics/public_admin', undefined, { apiKey: reader, ...hints }),
        403,
        'FORBIDDEN',
      ],
      [
        'end user with bad params: the guard first',
        ctx.bridge.call('logics/admin_only', ['x'], asUser),
        403,
        'FORBIDDEN',
      ],
      [
        'anonymous on admin_only_mapping',
        ctx.bridge.call('logics/admin_only_mapping', undefined, hints),
        401,
        'UNAUTHORIZED',
      ],
      [
        'end user on admin_only_mapping',
        ctx.bridge.call('logics/admin_only_mapping', undefined, asUser),
        403,
        'FORBIDDEN',
      ],
    ] as const;
    for (const [what, pending, status, code] of cases) {
      const error = expectEnvelope(await pending, { what, status, code });
      if (what === 'end user on admin_only') assert.equal(error.message, 'insufficient roles');
    }
  },
);

const EITHER_ROLE = ['---', 'roles: [admin, reader]', '---', 'SELECT 1 AS one', ''].join('\n');

export const anyListedRole = defineScenario(
  'LOGICS-006',
  'a guard listing two roles admits a caller holding either one alone, and refuses a caller holding neither',
  async (ctx) => {
    const { project, env, dir } = await bootstrapProject(ctx, 'logics_call', { prefix: 'anyrole' });
    const logics = { ...readProjectFolder(dir).logics, either_role: EITHER_ROLE };
    await applyFolder(ctx, { project, env, ref: 'v2', dir }, { logics });
    const hints = { project, env };
    for (const role of ['admin', 'reader']) {
      const apiKey = await createApiKey(ctx, project, env, role, `only_${role}`);
      assert.deepEqual(expectRows(await ctx.bridge.call('logics/either_role', undefined, { apiKey, ...hints })), [
        { one: 1 },
      ]);
    }
    const writer = await createApiKey(ctx, project, env, 'writer', 'only_writer');
    const refused = await ctx.bridge.call('logics/either_role', undefined, { apiKey: writer, ...hints });
    const error = expectEnvelope(refused, { what: 'a writer key', status: 403, code: 'FORBIDDEN' });
    assert.equal(error.message, 'insufficient roles');
  },
);
