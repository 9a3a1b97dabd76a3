import assert from 'node:assert/strict';
import {
  adminCaller,
  bootstrapProject,
  defineScenario,
  expectAffected,
  expectApplyRefused,
  expectEnvelope,
  expectRows,
} from '../kit/index.ts';

export const defaultsApply = defineScenario(
  'LOGICS-005',
  'absent params take their default, given ones win, optional ones without default are null',
  async (ctx) => {
    const { project, env } = await bootstrapProject(ctx, 'logics_call', { prefix: 'defaults' });
    const hints = { project, env };
    const admin = await adminCaller(ctx, hints);
    for (const name of ['i3', 'i1', 'i2'])
      expectAffected(await ctx.bridge.call('logics/insert_item', { name, owner_id: 'o' }, admin), 1);
    assert.deepEqual(expectRows(await ctx.bridge.call('logics/default_params', undefined, hints)), [
      { greeting: 'hello' },
    ]);
    assert.deepEqual(expectRows(await ctx.bridge.call('logics/default_params', { greeting: 'hi' }, hints)), [
      { greeting: 'hi' },
    ]);
    const list = async (params?: Record<string, number>) =>
      expectRows<{ name: string }>(await ctx.bridge.call('logics/list_items', params, admin)).map((row) => row.name);
    assert.deepEqual(await list(), ['i1', 'i2']);
    assert.deepEqual(await list({ limit: 1 }), ['i1']);
    assert.deepEqual(await list({ limit: 3 }), ['i1', 'i2', 'i3']);
    assert.deepEqual(expectRows(await ctx.bridge.call('logics/optional_nickname', undefined, admin)), [
      { missing: true },
    ]);
    assert.deepEqual(expectRows(await ctx.bridge.call('logics/optional_nickname', { nickname: 'Nic' }, admin)), [
      { missing: false },
    ]);
  },
);

export const defaultRefusals = defineScenario(
  'LOGICS-005',
  'ill-typed values and explicit nulls are refused; a default of the wrong type fails apply',
  async (ctx) => {
    const { project, env } = await bootstrapProject(ctx, 'logics_call', { prefix: 'defaults' });
    const hints = { project, env };
    const admin = await adminCaller(ctx, hints);
    const cases = [
      ['greeting 42', 'logics/default_params', { greeting: 42 }, 'invalid type for param: greeting'],
      ['greeting null', 'logics/default_params', { greeting: null }, 'invalid type for param: greeting'],
      ['limit "1"', 'logics/list_items', { limit: '1' }, 'invalid type for param: limit'],
      ['limit 1.5', 'logics/list_items', { limit: 1.5 }, 'invalid type for param: limit'],
    ] as const;
    for (const [what, path, params, message] of cases) {
      assert.equal(
        expectEnvelope(await ctx.bridge.call(path, params, admin), { what, status: 400, code: 'BAD_REQUEST' }).message,
        message,
        what,
      );
    }
    await expectApplyRefused(ctx, { project, env, fixture: 'logics_bad_default', file: 'logics/default_params.sql' });
    assert.deepEqual(
      expectRows(await ctx.bridge.call('logics/default_params', undefined, hints)),
      [{ greeting: 'hello' }],
      'the old release still serves',
    );
  },
);
