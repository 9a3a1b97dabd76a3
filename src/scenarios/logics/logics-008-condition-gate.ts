import assert from 'node:assert/strict';
import {
  adminCaller,
  bootstrapProject,
  createApiKey,
  defineScenario,
  expectDataOnly,
  expectEnvelope,
  expectRows,
  signupAndLogin,
} from '../kit/index.ts';

export const conditionAdmits = defineScenario(
  'LOGICS-008',
  'a condition that holds lets the logic run, for end users and API keys',
  async (ctx) => {
    const { project, env, database } = await bootstrapProject(ctx, 'logics_call', { prefix: 'condition' });
    const hints = { project, env };
    const a = await signupAndLogin(ctx, project, env);
    const asA = { bearer: a.accessToken, ...hints };
    assert.deepEqual(expectRows(await ctx.bridge.call('logics/condition_owner_echo', { owner_id: a.sub }, asA)), [
      { owner_id: a.sub },
    ]);
    assert.deepEqual(
      expectDataOnly(
        await ctx.bridge.call('logics/condition_owner_insert', { owner_id: a.sub, name: 'allowed-item' }, asA),
        'allowed insert',
      ),
      { affected: 1 },
    );
    assert.deepEqual(await ctx.db.query(database.name, 'SELECT name, owner_id FROM items'), [
      { name: 'allowed-item', owner_id: a.sub },
    ]);
    assert.deepEqual(expectRows(await ctx.bridge.call('logics/condition_role_echo', undefined, asA)), [{ sub: a.sub }]);
    const key = await createApiKey(ctx, project, env, 'admin');
    const keyId = key.split('.')[0] ?? '';
    assert.deepEqual(
      expectRows(await ctx.bridge.call('logics/condition_owner_echo', { owner_id: keyId }, { apiKey: key, ...hints })),
      [{ owner_id: keyId }],
    );
  },
);

export const conditionRefuses = defineScenario(
  'LOGICS-008',
  'a false condition is 403 before any SQL runs; unsupported or non-boolean conditions are 400',
  async (ctx) => {
    const { project, env, database } = await bootstrapProject(ctx, 'logics_call', { prefix: 'condition' });
    const hints = { project, env };
    const a = await signupAndLogin(ctx, project, env);
    const asA = { bearer: a.accessToken, ...hints };
    const admin = await adminCaller(ctx, hints);
    const call = (logic: string, params?: unknown, who: object = asA) =>
      ctx.bridge.call(`logics/${logic}`, params, who);
    const echo = expectEnvelope(await call('condition_owner_echo', { owner_id: 'other' }), {
      what: 'someone else',
      status: 403,
      code: 'FORBIDDEN',
    });
    assert.equal(echo.message, 'condition failed');
    expectEnvelope(await call('condition_owner_insert', { owner_id: 'other', name: 'denied-item' }), {
      what: 'insert for someone else',
      status: 403,
      code: 'FORBIDDEN',
    });
    assert.deepEqual(
      expectRows(await ctx.bridge.call('db/items/select', { where: { name: 'denied-item' } }, admin)),
      [],
    );
    assert.deepEqual(await ctx.db.query(database.name, 'SELECT name FROM items'), [], 'nothing was written');
    expectEnvelope(await call('condition_before_sql', { owner_id: 'other' }), {
      what: 'gate before broken SQL',
      status: 403,
      code: 'FORBIDDEN',
    });
    expectEnvelope(await call('condition_before_sql', { owner_id: a.sub }), {
      what: 'broken SQL once the gate passes',
      status: 500,
      code: 'INTERNAL_ERROR',
    });
    const unsupported = expectEnvelope(await call('condition_resource_unsupported', { owner_id: a.sub }), {
      what: 'resource in a logic condition',
      status: 400,
      code: 'BAD_REQUEST',
    });
    assert.match(String(unsupported.message), /unsupported/);
    expectEnvelope(await call('condition_type_error', { count: 1 }), {
      what: 'int compared with a string',
      status: 400,
      code: 'BAD_REQUEST',
    });
    expectEnvelope(await call('condition_not_bool'), {
      what: 'a string as the condition',
      status: 400,
      code: 'BAD_REQUEST',
    });
    expectEnvelope(await call('condition_role_echo', undefined, admin), {
      what: 'API key without the role',
      status: 403,
      code: 'FORBIDDEN',
    });
    // Conditions are parsed and type-checked when the logic is called: the malformed one was applied with the rest of
    // the fixture (every other logic above works in the same release) and fails only its own calls.
    const malformed = expectEnvelope(await call('condition_malformed', { owner_id: a.sub }), {
      what: 'a condition that is not CEL',
      status: 400,
      code: 'BAD_REQUEST',
    });
    assert.match(String(malformed.message), /not valid CEL/);
    expectEnvelope(await call('condition_roles_equal'), {
      what: 'a list compared with a string (== is not membership)',
      status: 400,
      code: 'BAD_REQUEST',
    });
    expectEnvelope(await call('condition_roles_equal', undefined, admin), {
      what: 'the same, for an API key',
      status: 400,
      code: 'BAD_REQUEST',
    });
  },
);
