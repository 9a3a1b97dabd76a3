import assert from 'node:assert/strict';
import {
  bareProject,
  bootstrapProject,
  createApiKey,
  defineScenario,
  expectEnvelope,
  expectStatus,
  signupAndLogin,
} from '../kit/index.ts';

const HELLO = { data: [{ greeting: 'hello' }] };

export const publicForEveryone = defineScenario(
  'LOGICS-002',
  'a public logic answers anonymous, API-key and end-user callers alike',
  async (ctx) => {
    const { project, env } = await bootstrapProject(ctx, 'logics_call', { prefix: 'public' });
    const hints = { project, env };
    const key = await createApiKey(ctx, project, env, 'admin');
    const user = await signupAndLogin(ctx, project, env);
    for (const [what, credentials] of [
      ['anonymous', hints],
      ['API key', { apiKey: key, ...hints }],
      ['end user', { bearer: user.accessToken, ...hints }],
    ] as const) {
      const response = await ctx.bridge.call('logics/public_hello', undefined, credentials);
      expectStatus(response, 200, what);
      assert.deepEqual(response.json, HELLO, what);
    }
    for (const params of [{}, null])
      assert.deepEqual(
        (await ctx.bridge.call('logics/public_hello', params, hints)).json,
        HELLO,
        `params ${JSON.stringify(params)}`,
      );
  },
);

export const publicRefusals = defineScenario(
  'LOGICS-002',
  'a public logic still needs a context, a release, its own name and a valid credential if one is sent',
  async (ctx) => {
    const { project, env } = await bootstrapProject(ctx, 'logics_call', { prefix: 'public' });
    const bare = await bareProject(ctx, 'norelease');
    const cases = [
      [
        "no credential and no hints: never another project's release",
        ctx.bridge.call('logics/public_hello'),
        401,
        'UNAUTHORIZED',
      ],
      [
        'hints of no project',
        ctx.bridge.call('logics/public_hello', undefined, { project: ctx.uniqueName('nosuch'), env }),
        404,
        'NOT_FOUND',
      ],
      [
        'a project with no release',
        ctx.bridge.call('logics/public_hello', undefined, { project: bare, env: 'dev' }),
        404,
        'NOT_FOUND',
      ],
      ['unknown logic', ctx.bridge.call('logics/public_nothing', undefined, { project, env }), 404, 'NOT_FOUND'],
      [
        'a garbage bearer',
        ctx.bridge.call('logics/public_hello', undefined, { bearer: 'garbage', project, env }),
        401,
        'UNAUTHORIZED',
      ],
    ] as const;
    for (const [what, pending, status, code] of cases) expectEnvelope(await pending, { what, status, code });
  },
);
