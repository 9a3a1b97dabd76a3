/**
 * plan/spec/call-api.md "Pipeline" and errors.md precedence: when several
 * problems coincide, the earliest step decides the status.
 */
import { bootstrapProject, createApiKey, defineScenario, expectEnvelope, signupAndLogin } from '../kit/index.ts';
import type { HttpResponse } from '../kit/index.ts';

type Case = readonly [string, Promise<HttpResponse>, number, string];

export const bridgePrecedence = defineScenario(
  'LOGICS-007',
  'on /call the first failing pipeline step decides the status',
  async (ctx) => {
    const { project, env } = await bootstrapProject(ctx, 'spec_contracts', { prefix: 'specstat' });
    const other = await bootstrapProject(ctx, 'spec_contracts', { prefix: 'specstat' });
    const admin = await createApiKey(ctx, project, env, 'admin');
    const reader = await createApiKey(ctx, project, env, 'reader', 'reader');
    const stranger = await signupAndLogin(ctx, other.project, other.env);
    const user = await signupAndLogin(ctx, project, env);
    const hints = { project, env };
    const badJson = ctx.bridge.http.request('POST', '/call', {
      body: '{',
      headers: { 'content-type': 'application/json' },
    });
    const cases: Case[] = [
      ['bad JSON and no credential: decoding first', badJson, 400, 'BAD_REQUEST'],
      ['one hint header only', ctx.bridge.call('db/users/select', {}, { apiKey: admin, project }), 400, 'BAD_REQUEST'],
      [
        'a bad key and an unknown table: credential first',
        ctx.bridge.call('db/nosuch/select', {}, { apiKey: `${admin}x`, ...hints }),
        401,
        'UNAUTHORIZED',
      ],
      [
        'another project token and an unknown table: binding first',
        ctx.bridge.call('db/nosuch/select', {}, { bearer: stranger.accessToken, ...hints }),
        403,
        'FORBIDDEN',
      ],
      [
        'anonymous and an unknown table: path before permission',
        ctx.bridge.call('db/nosuch/select', {}, hints),
        404,
        'NOT_FOUND',
      ],
      [
        'anonymous insert: 401 at the permission step',
        ctx.bridge.call('db/users/insert', { values: { shoe_size: 1 } }, hints),
        401,
        'UNAUTHORIZED',
      ],
      [
        'a role without a rule and bad values: permission before params',
        ctx.bridge.call('db/users/insert', { values: { shoe_size: 1 } }, { apiKey: reader, ...hints }),
        403,
        'FORBIDDEN',
      ],
      [
        'admin with bad values: params',
        ctx.bridge.call('db/users/insert', { values: { shoe_size: 1 } }, { apiKey: admin, ...hints }),
        400,
        'SCHEMA_VALIDATION_FAILED',
      ],
      ['unknown op', ctx.bridge.call('db/users/upsert', {}, { apiKey: admin, ...hints }), 400, 'BAD_REQUEST'],
      ['anonymous logic needing auth', ctx.bridge.call('logics/rename', {}, hints), 401, 'UNAUTHORIZED'],
      [
        'end user on an admin logic, params missing: roles before params',
        ctx.bridge.call('logics/rename', {}, { bearer: user.accessToken, ...hints }),
        403,
        'FORBIDDEN',
      ],
      [
        'admin on a logic with params missing',
        ctx.bridge.call('logics/rename', { email: 'x@example.com' }, { apiKey: admin, ...hints }),
        400,
        'BAD_REQUEST',
      ],
      [
        'an env without a release',
        ctx.bridge.call('db/users/select', {}, { project, env: 'nosuch' }),
        404,
        'NOT_FOUND',
      ],
    ];
    for (const [what, pending, status, code] of cases)
      expectEnvelope(await pending, { what, status, code, secrets: [admin, reader, user.accessToken] });
  },
);

export const hubPrecedence = defineScenario(
  'LOGICS-007',
  'on the Hub authentication comes before validation and existence',
  async (ctx) => {
    const token = await ctx.operatorToken();
    const { project } = await bootstrapProject(ctx, 'spec_contracts', { prefix: 'specstat' });
    const nosuch = ctx.uniqueName('nosuch');
    const cases: Case[] = [
      ['no token, unknown project', ctx.hub.post('/api/envs', { project: nosuch, env: 'dev' }), 401, 'UNAUTHORIZED'],
      ['no token, invalid body', ctx.hub.post('/api/envs', {}), 401, 'UNAUTHORIZED'],
      [
        'token, invalid env name',
        ctx.hub.post('/api/envs', { project, env: 'Not A Name' }, { token }),
        400,
        'BAD_REQUEST',
      ],
      [
        'token, unknown project',
        ctx.hub.post('/api/envs', { project: nosuch, env: 'dev' }, { token }),
        404,
        'NOT_FOUND',
      ],
      ['token, existing env', ctx.hub.post('/api/envs', { project, env: 'dev' }, { token }), 409, 'CONFLICT'],
    ];
    for (const [what, pending, status, code] of cases)
      expectEnvelope(await pending, { what, status, code, secrets: [token] });
  },
);
