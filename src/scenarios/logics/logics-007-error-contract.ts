import assert from 'node:assert/strict';
import {
  adminCaller,
  applyFolder,
  bareProject,
  bootstrapProject,
  defineScenario,
  expectApplyRefused,
  expectEnvelope,
  expectStatus,
  hubCurrentRelease,
  readProjectFolder,
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

/**
 * The Hub and the Bridge read a logic file alike, so nothing apply lets
 * through fails every call. Front-matter opens on a first `---` line and ends
 * at the next one (project-files.md): a block that never closes is malformed
 * front-matter, refused at apply (rule 4). `params:` with no value is YAML
 * null, read as no params, as Santokit's Bridge reads it: the logic runs.
 */
export const logicFilesReadAlike = defineScenario(
  'LOGICS-007',
  'apply refuses a front-matter block that never closes, and a logic with an empty params runs',
  async (ctx) => {
    const { project, env, dir } = await bootstrapProject(ctx, 'logics_call', { prefix: 'errors' });
    const { logics } = readProjectFolder(dir);
    const before = await hubCurrentRelease(ctx, project, env);
    const unclosed = await ctx.hub.post(
      '/api/apply',
      { project, env, ref: 'v2', ...readProjectFolder(dir), logics: { ...logics, unclosed: '---\nSELECT 1 AS one' } },
      { token: await ctx.operatorToken() },
    );
    const error = expectEnvelope(unclosed, {
      what: 'a front-matter block with no closing ---',
      status: 400,
      code: 'SCHEMA_VALIDATION_FAILED',
    });
    assert.equal((error.details as { file?: unknown } | undefined)?.file, 'logics/unclosed.sql', unclosed.text);
    assert.equal(await hubCurrentRelease(ctx, project, env), before, 'the refused apply leaves the release as it was');
    const nullParams = '---\nauth: public\nparams:\n---\nSELECT 1 AS one';
    await applyFolder(ctx, { project, env, ref: 'v3', dir }, { logics: { ...logics, null_params: nullParams } });
    assert.notEqual(await hubCurrentRelease(ctx, project, env), before, 'the apply with params: null is released');
    const called = await ctx.bridge.call('logics/null_params', undefined, { project, env });
    expectStatus(called, 200, 'a public logic whose params has no value');
    assert.deepEqual(called.json, { data: [{ one: 1 }] });
  },
);

/**
 * A release whose env has no connection `main`: apply allows it when the
 * schema declares no table, so a logics-only project applied into a bare env
 * has one. The database step comes last (call-api.md, pipeline step 9 after
 * 6-8) and a project database the call cannot use is 503
 * `SERVICE_UNAVAILABLE` (errors.md; Santokit's catalog: a required dependency
 * is down), never the statement run somewhere else.
 */
export const logicWithoutDatabase = defineScenario(
  'LOGICS-007',
  'a logic of an env with no main connection is 503 once lookup and auth pass',
  async (ctx) => {
    const project = await bareProject(ctx, 'nomain');
    const hints = { project, env: 'dev' };
    const dir = ctx.fixture('logics_call');
    const { logics } = readProjectFolder(dir);
    const only = { public_hello: logics?.public_hello ?? '', whoami: logics?.whoami ?? '' };
    await applyFolder(
      ctx,
      { ...hints, ref: 'v1', dir },
      { schema: [], permissions: null, storage: null, logics: only },
    );
    const cases = [
      ['unknown logic: lookup first', ctx.bridge.call('logics/nonexistent', undefined, hints), 404, 'NOT_FOUND'],
      [
        'anonymous, authenticated logic: auth first',
        ctx.bridge.call('logics/whoami', undefined, hints),
        401,
        'UNAUTHORIZED',
      ],
      [
        'public logic, no database',
        ctx.bridge.call('logics/public_hello', undefined, hints),
        503,
        'SERVICE_UNAVAILABLE',
      ],
    ] as const;
    for (const [what, pending, status, code] of cases) expectEnvelope(await pending, { what, status, code });
  },
);
