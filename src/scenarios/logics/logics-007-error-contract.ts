import assert from 'node:assert/strict';
import {
  adminCaller,
  bootstrapProject,
  defineScenario,
  expectApplyRefused,
  expectEnvelope,
  signupAndLogin,
} from '../kit/index.ts';

export const logicFailures = defineScenario(
  'LOGICS-007',
  'each way a logic call fails has one status, code and envelope, in a fixed order',
  async (ctx) => {
    const { project, env } = await bootstrapProject(ctx, 'logics_call', { prefix: 'errors' });
    const hints = { project, env };
    const admin = await adminCaller(ctx, hints);
    const user = { bearer: (await signupAndLogin(ctx, project, env)).accessToken, ...hints };
    const cases = [
      ['admin, get_items without params', ctx.bridge.call('logics/get_items', undefined, admin), 400, 'BAD_REQUEST'],
      ['admin, unknown logic', ctx.bridge.call('logics/nonexistent', undefined, admin), 404, 'NOT_FOUND'],
      ['anonymous, admin_only', ctx.bridge.call('logics/admin_only', undefined, hints), 401, 'UNAUTHORIZED'],
      ['end user, admin_only', ctx.bridge.call('logics/admin_only', undefined, user), 403, 'FORBIDDEN'],
      ['admin, owner_id a number', ctx.bridge.call('logics/get_items', { owner_id: 12345 }, admin), 400, 'BAD_REQUEST'],
      [
        'anonymous, unknown logic: lookup before auth',
        ctx.bridge.call('logics/nonexistent', undefined, hints),
        404,
        'NOT_FOUND',
      ],
      [
        'anonymous, get_items without params: auth before params',
        ctx.bridge.call('logics/get_items', undefined, hints),
        401,
        'UNAUTHORIZED',
      ],
      [
        'end user, admin_only with a bogus param: roles before params',
        ctx.bridge.call('logics/admin_only', { bogus: 1 }, user),
        403,
        'FORBIDDEN',
      ],
    ] as const;
    for (const [what, pending, status, code] of cases) {
      const error = expectEnvelope(await pending, { what, status, code });
      if (what === 'admin, unknown logic') assert.equal(error.message, 'logic not found: nonexistent');
    }
    const [first, second] = [
      await ctx.bridge.call('logics/nonexistent', undefined, admin),
      await ctx.bridge.call('logics/nonexistent', undefined, admin),
    ];
    const ids = [first, second].map((response) =>
      String(expectEnvelope(response, { what: 'repeated unknown logic', status: 404, code: 'NOT_FOUND' }).requestId),
    );
    assert.notEqual(ids[0], ids[1], 'two calls, two request ids');
    const broken = expectEnvelope(await ctx.bridge.call('logics/broken_sql', undefined, admin), {
      what: 'SQL failing at run time',
      status: 500,
      code: 'INTERNAL_ERROR',
      secrets: ['SELECT', 'no_such_table'],
    });
    assert.doesNotMatch(String(broken.message), /SELECT|no_such_table/);
  },
);

export const logicApplyRefusals = defineScenario(
  'LOGICS-007',
  'apply refuses malformed logic front-matter, undeclared placeholders and unknown param types',
  async (ctx) => {
    const { project, env } = await bootstrapProject(ctx, 'logics_call', { prefix: 'errors' });
    const refusals = [
      ['logics_bad_roles', 'logics/admin_only.sql'],
      ['logics_bad_placeholder', 'logics/get_items.sql'],
      ['logics_bad_type', 'logics/get_items.sql'],
    ] as const;
    for (const [fixture, file] of refusals) await expectApplyRefused(ctx, { project, env, fixture, file });
  },
);
