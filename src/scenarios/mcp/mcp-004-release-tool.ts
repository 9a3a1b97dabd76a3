import assert from 'node:assert/strict';
import {
  addEnv,
  applyFolder,
  bootstrapProject,
  currentRelease,
  defineScenario,
  expectExit,
  expectStatus,
  hubCurrentRelease,
  projectOperator,
  signUpOperator,
} from '../kit/index.ts';
import { connectStdio, expectToolError, expectToolResult, type McpSession } from '../kit/mcp.ts';
import { mcpScope, SLOW } from '../kit/mcp-helpers.ts';

const releaseOf = async (session: McpSession) =>
  expectToolResult(await session.call('release_current'), 'release_current');

export const releaseTool = defineScenario(
  'MCP-004',
  'release_current names the project, env and the release the Hub points at now: equal to stk release current, followed by a running server through apply and rollback',
  async (ctx) => {
    const { project, env, dir } = await bootstrapProject(ctx, 'basic', { prefix: 'mcprel', ref: 'r1' });
    const first = await currentRelease(ctx, project, env);
    const viewer = await projectOperator(ctx, project, 'viewer');
    const session = await connectStdio(ctx, { env: mcpScope(project, viewer.token) });
    try {
      assert.deepEqual(
        await releaseOf(session),
        { releaseId: first, project, env: 'dev' },
        'exactly releaseId, project and env',
      );

      const applied = await ctx.stk(['apply', '--project', project, '--env', env, '--ref', 'r2'], { cwd: dir });
      expectExit(applied, 0);
      const second = await hubCurrentRelease(ctx, project, env);
      assert.notEqual(second, first, 'a new ref made a new release');
      assert.equal((await releaseOf(session)).releaseId, second, 'the running server reports the new pointer');

      expectExit(
        await ctx.stk(['release', 'rollback', '--project', project, '--env', env, '--to-release-id', first]),
        0,
      );
      assert.equal((await releaseOf(session)).releaseId, first, 'and the rolled-back one');
    } finally {
      await session.close();
    }
    const fresh = await connectStdio(ctx, { env: mcpScope(project, viewer.token) });
    try {
      const answer = await fresh.call('release_current');
      const text = JSON.stringify(answer);
      assert.equal(expectToolResult(answer, 'a new server').releaseId, first);
      for (const secret of ['postgres://', viewer.token, await ctx.operatorToken(), 'db_url', 'access_token'])
        assert.ok(!text.includes(secret), `the answer holds no ${secret.slice(0, 12)}…`);
    } finally {
      await fresh.close();
    }
  },
  SLOW,
);

export const releaseMissing = defineScenario(
  'MCP-004',
  'an env without a current release answers NOT_FOUND until an apply creates one',
  async (ctx) => {
    const owner = await ctx.operatorToken();
    const project = ctx.uniqueName('mcpnorel');
    expectStatus(await ctx.hub.post('/api/projects', { project }, { token: owner }), 200, 'project create');
    await addEnv(ctx, project, 'dev');
    const late = await signUpOperator(ctx, 'late');
    const session = await connectStdio(ctx, { env: mcpScope(project, late.token) });
    try {
      assert.equal(
        (await ctx.hub.post('/api/project/invite', { project, email: late.email, role: 'viewer' }, { token: owner }))
          .status,
        200,
      );
      assert.equal((await ctx.hub.post('/api/project/accept', { project }, { token: late.token })).status, 200);
      const missing = expectToolError(
        await session.call('release_current'),
        -32004,
        new RegExp(`^NOT_FOUND: no current release for ${project}/dev`),
      );
      assert.deepEqual(missing.data, { code: 'NOT_FOUND' });
      await applyFolder(ctx, { project, env: 'dev', ref: 'first', dir: ctx.fixture('basic') });
      assert.equal((await releaseOf(session)).releaseId, await hubCurrentRelease(ctx, project, 'dev'));
    } finally {
      await session.close();
    }
  },
  SLOW,
);
