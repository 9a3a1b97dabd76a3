import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { bareProject, bootstrapProject, defineScenario, expectExit, projectOperator } from '../kit/index.ts';
import { connectSse, connectStdio, startMcpHttp } from '../kit/mcp.ts';
import { mcpScope, refusedStart, releaseIdOf, releaseNamed, SLOW, workFolder } from '../kit/mcp-helpers.ts';

const REFUSED_HUB = 'http://127.0.0.1:1';

export const contextFixedAtStart = defineScenario(
  'MCP-001',
  'context: .stk/context.json written by stk context set chooses the project; a running server keeps it, a restarted one takes the new one',
  async (ctx) => {
    const token = await ctx.operatorToken();
    const a = await bootstrapProject(ctx, 'basic', { prefix: 'mcpctxa' });
    const b = await bootstrapProject(ctx, 'basic', { prefix: 'mcpctxb' });
    const cwd = workFolder(ctx, 'mcp-context');
    expectExit(await ctx.stk(['context', 'set', '--project', a.project, '--env', 'dev'], { cwd }), 0);
    const running = await connectStdio(ctx, { env: { STK_AUTH_TOKEN: token }, cwd });
    try {
      assert.deepEqual(
        await releaseNamed(running),
        { project: a.project, releaseId: await releaseIdOf(ctx, a.project) },
        'the context file chooses the project',
      );
      expectExit(await ctx.stk(['context', 'set', '--project', b.project], { cwd }), 0);
      assert.equal((await releaseNamed(running)).project, a.project, 'a running server keeps its context');
    } finally {
      await running.close();
    }
    const restarted = await connectStdio(ctx, { env: { STK_AUTH_TOKEN: token }, cwd });
    try {
      assert.deepEqual(
        await releaseNamed(restarted),
        { project: b.project, releaseId: await releaseIdOf(ctx, b.project) },
        'a restart applies the new context',
      );
    } finally {
      await restarted.close();
    }
  },
  SLOW,
);

export const contextPrecedence = defineScenario(
  'MCP-001',
  'context: --project wins over STK_PROJECT, which wins over the file; stk mcp start reads the same context; stk context show and clear',
  async (ctx) => {
    const token = await ctx.operatorToken();
    const a = await bootstrapProject(ctx, 'basic', { prefix: 'mcpprea' });
    const b = await bootstrapProject(ctx, 'basic', { prefix: 'mcppreb' });
    const cwd = workFolder(ctx, 'mcp-precedence');
    expectExit(await ctx.stk(['context', 'set', '--project', b.project, '--env', 'dev'], { cwd }), 0);
    const shown = await ctx.stk(['context', 'show'], { cwd });
    expectExit(shown, 0);
    assert.match(shown.stdout, new RegExp(`^project: ${b.project}\nenv: dev$`, 'm'));
    const byVariable = await connectStdio(ctx, { env: { STK_AUTH_TOKEN: token, STK_PROJECT: a.project }, cwd });
    try {
      assert.equal((await releaseNamed(byVariable)).project, a.project, 'STK_PROJECT wins over the file');
    } finally {
      await byVariable.close();
    }
    const byFlag = await connectStdio(ctx, { env: { STK_AUTH_TOKEN: token, STK_PROJECT: a.project }, cwd }, [
      '--project',
      b.project,
    ]);
    try {
      assert.equal((await releaseNamed(byFlag)).project, b.project, '--project wins over STK_PROJECT');
    } finally {
      await byFlag.close();
    }
    const http = await startMcpHttp(ctx, 0, { env: { STK_AUTH_TOKEN: token }, cwd });
    try {
      const session = await connectSse(ctx, http);
      assert.equal((await releaseNamed(session)).project, b.project, 'stk mcp start reads the same context');
      await session.close();
    } finally {
      await http.stop();
    }
    expectExit(await ctx.stk(['context', 'clear'], { cwd }), 0);
    assert.equal((await ctx.stk(['context', 'show'], { cwd })).stdout.trim(), 'No context.');
  },
  SLOW,
);

export const contextRefusals = defineScenario(
  'MCP-001',
  'start-up refusals of the context: no project, no env, a context file that is not a JSON object of strings; exit 1 with one line, nothing served',
  async (ctx) => {
    const token = await ctx.operatorToken();
    const empty = workFolder(ctx, 'mcp-none');
    await refusedStart(ctx, ['run'], /^Error: context not set: project/m, { STK_AUTH_TOKEN: token }, empty);
    await refusedStart(
      ctx,
      ['start', '--port', '0'],
      /^Error: context not set: project/m,
      { STK_AUTH_TOKEN: token },
      empty,
    );
    await refusedStart(
      ctx,
      ['run'],
      /^Error: context not set: env/m,
      { STK_AUTH_TOKEN: token, STK_PROJECT: 'p' },
      empty,
    );
    const broken = workFolder(ctx, 'mcp-broken');
    mkdirSync(join(broken, '.stk'));
    for (const [mode, text] of [
      [['run'], '[1, 2]'],
      [['start', '--port', '0'], '{"project": 3}'],
      [['run'], '{not json'],
    ] as const) {
      writeFileSync(join(broken, '.stk', 'context.json'), text);
      await refusedStart(ctx, [...mode], /^Error: invalid \.stk\/context\.json/m, { STK_AUTH_TOKEN: token }, broken);
    }
  },
  SLOW,
);

export const hubRefusals = defineScenario(
  'MCP-001',
  'start-up refusals of the Hub: unreachable, or the env has no current release; exit 1 with one line, no port bound',
  async (ctx) => {
    const token = await ctx.operatorToken();
    for (const mode of [['run'], ['start', '--port', '0']]) {
      await refusedStart(
        ctx,
        mode,
        /^Error: failed to initialize mcp server: hub unreachable at http:\/\/127\.0\.0\.1:1/m,
        { ...mcpScope('p', token), STK_HUB_URL: REFUSED_HUB },
      );
    }
    const bare = await bareProject(ctx, 'mcpbare');
    const viewer = await projectOperator(ctx, bare, 'viewer');
    await refusedStart(
      ctx,
      ['run'],
      new RegExp(`^Error: failed to initialize mcp server: no current release for ${bare}/dev`, 'm'),
      mcpScope(bare, viewer.token),
    );
    await refusedStart(
      ctx,
      ['start', '--port', '0'],
      /^Error: failed to initialize mcp server: no current release/m,
      mcpScope(bare, viewer.token),
    );
  },
  SLOW,
);

export const portRefusals = defineScenario(
  'MCP-001',
  'start-up refusals of the port: already in use, or not a port number; exit 1 with one line',
  async (ctx) => {
    const token = await ctx.operatorToken();
    const { project } = await bootstrapProject(ctx, 'basic', { prefix: 'mcpport' });
    await refusedStart(ctx, ['start', '--port', 'abc'], /^Error: invalid --port/m, mcpScope(project, token));
    await refusedStart(ctx, ['start', '--port', '70000'], /^Error: invalid --port/m, mcpScope(project, token));
    const first = await startMcpHttp(ctx, 0, { env: mcpScope(project, token) });
    try {
      await refusedStart(
        ctx,
        ['start', '--port', String(first.port)],
        new RegExp(`^Error: port already in use: 127\\.0\\.0\\.1:${first.port}`, 'm'),
        mcpScope(project, token),
      );
    } finally {
      await first.stop();
    }
  },
  SLOW,
);
