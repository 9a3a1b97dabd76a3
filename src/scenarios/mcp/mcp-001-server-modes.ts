import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { bareProject, bootstrapProject, defineScenario, expectExit, projectOperator } from '../kit/index.ts';
import type { ScenarioContext } from '../kit/index.ts';
import { attachMcpHttp, connectSse, connectStdio, expectToolResult, peekHttp, startMcpHttp, type McpSession } from '../kit/mcp.ts';
import { startRawStdio } from '../kit/mcp-raw.ts';
import { startStk } from '../kit/stk-process.ts';

const TOOLS = ['logic_get', 'logic_list', 'permissions_get_table', 'release_current', 'schema_get_table', 'schema_list_tables'];
const REFUSED_HUB = 'http://127.0.0.1:1';
/** Scenarios that start `stk` four times or more: each start is a Node process (seconds on a busy 2-core machine). */
const SLOW = { timeoutMs: 120_000 };

const scope = (project: string, token: string) => ({ STK_PROJECT: project, STK_ENV: 'dev', STK_AUTH_TOKEN: token });

/** A folder `stk` can use as its working directory (under compose it is mounted in the cli container). */
function workFolder(ctx: ScenarioContext, prefix: string): string {
  assert.ok(ctx.stack.workDir, 'the stack offers a work folder');
  return mkdtempSync(join(ctx.stack.workDir, `${prefix}-`));
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise((resolve) => server.close(resolve));
  return typeof address === 'object' && address !== null ? address.port : 0;
}

async function releaseNamed(session: McpSession): Promise<{ project: unknown; releaseId: unknown }> {
  const current = expectToolResult(await session.call('release_current'), 'release_current');
  return { project: current.project, releaseId: current.releaseId };
}

async function expectSixTools(session: McpSession): Promise<void> {
  const { tools } = await session.client.listTools();
  assert.deepEqual(tools.map((tool) => tool.name).sort(), TOOLS);
  for (const tool of tools) assert.equal(tool.inputSchema.additionalProperties, false, `${tool.name}: a closed input schema`);
}

/** `stk mcp …` that must fail at start: exit 1 and one `Error:` line matching `message` (stdin is empty, so `run` cannot wait). */
async function refusedStart(ctx: ScenarioContext, args: string[], message: RegExp, env: Record<string, string>, cwd?: string): Promise<void> {
  const result = await ctx.stk(['mcp', ...args], { env, input: '', timeoutMs: 20_000, ...(cwd ? { cwd } : {}) });
  expectExit(result, 1);
  assert.match(result.stderr, message, `stk mcp ${args.join(' ')}: ${result.stderr}`);
  assert.doesNotMatch(result.stdout, /listening/, 'nothing was served');
}

export const stdioMode = defineScenario('MCP-001', 'stdio: stk mcp run answers JSON-RPC lines, keeps running while stdin is open and exits 0 when it closes; the SDK client lists six closed tools', async (ctx) => {
  const { project } = await bootstrapProject(ctx, 'basic', { prefix: 'mcpstdio' });
  const raw = startRawStdio(ctx, { env: scope(project, await ctx.operatorToken()) });
  try {
    raw.send({ jsonrpc: '2.0', id: 1, method: 'initialize', params: {} });
    const init = await raw.answer(1);
    const result = init.result as { serverInfo?: { name?: unknown }; capabilities?: { tools?: unknown } };
    assert.equal(result.serverInfo?.name, 'santokit');
    assert.equal(typeof result.capabilities?.tools, 'object');
    await sleep(1_000);
    assert.equal(raw.process.child.exitCode, null, 'still running while stdin is open');
    raw.send({ jsonrpc: '2.0', id: 2, method: 'ping' });
    assert.deepEqual((await raw.answer(2)).result, {});
    assert.deepEqual(raw.lines().filter((line) => 'unparsed' in line), [], 'stdout holds JSON-RPC lines only');
    assert.equal(await raw.endInput(), 0, 'end of stdin ends the server with exit 0');
  } finally {
    await raw.process.stop();
  }
  const session = await connectStdio(ctx, { env: scope(project, await ctx.operatorToken()) });
  try {
    assert.equal(session.client.getServerVersion()?.name, 'santokit');
    await expectSixTools(session);
    assert.deepEqual(await session.client.ping(), {});
  } finally {
    await session.close();
  }
});

export const httpMode = defineScenario('MCP-001', 'HTTP: stk mcp start listens on 127.0.0.1:8080 by default or on --port, serves SSE at /sse to the SDK client, and stops on SIGTERM', async (ctx) => {
  const { project } = await bootstrapProject(ctx, 'basic', { prefix: 'mcphttp' });
  const vars = scope(project, await ctx.operatorToken());
  const byDefault = startStk(ctx, ['mcp', 'start'], { env: vars });
  try {
    const server = await attachMcpHttp(ctx, byDefault);
    assert.equal(server.port, 8080, 'the default port');
    const head = await peekHttp(server.sseUrl);
    assert.deepEqual([head.status, head.contentType], [200, 'text/event-stream']);
  } catch (error) {
    // Someone else on this machine holds 8080: then the documented refusal must name it.
    if ((await byDefault.exited) !== 1 || !/port already in use: 127\.0\.0\.1:8080/.test(byDefault.stderr())) throw error;
    ctx.transcript.note('port 8080 is taken on this machine: the default port was checked through its refusal');
  } finally {
    await byDefault.stop();
  }

  const port = await freePort();
  const server = await startMcpHttp(ctx, port, { env: vars });
  try {
    assert.equal(server.port, port, '--port is honoured');
    const head = await peekHttp(server.sseUrl);
    assert.deepEqual([head.status, head.contentType], [200, 'text/event-stream']);
    assert.match(head.body, /^event: endpoint\ndata: \/messages\?sessionId=[\w-]+\n\n/);
    assert.equal((await peekHttp(new URL('/other', server.sseUrl))).status, 404);
    assert.equal((await peekHttp(new URL('/messages?sessionId=nope', server.sseUrl), { method: 'POST' })).status, 404);
    assert.equal((await peekHttp(server.sseUrl, { host: 'evil.example' })).status, 403, 'a Host that is not loopback is refused');
    const session = await connectSse(ctx, server);
    try {
      await expectSixTools(session);
      assert.deepEqual(await releaseNamed(session), { project, releaseId: await releaseIdOf(ctx, project) });
    } finally {
      await session.close();
    }
    assert.equal(await server.stop(), 0, 'SIGTERM ends it with exit 0');
  } finally {
    await server.stop();
  }
}, SLOW);

/** The current release id of project/dev, straight from the Hub (a `stk` start costs seconds on a busy machine). */
async function releaseIdOf(ctx: ScenarioContext, project: string): Promise<string> {
  const response = await ctx.hub.get('/api/releases/current', { query: { project, env: 'dev' }, token: await ctx.operatorToken() });
  const id = (response.json as { release_id?: unknown } | undefined)?.release_id;
  assert.equal(typeof id, 'string', `current release of ${project}: ${response.text.slice(0, 200)}`);
  return id as string;
}

export const contextFixedAtStart = defineScenario('MCP-001', 'context: .stk/context.json written by stk context set chooses the project; a running server keeps it, a restarted one takes the new one', async (ctx) => {
  const token = await ctx.operatorToken();
  const a = await bootstrapProject(ctx, 'basic', { prefix: 'mcpctxa' });
  const b = await bootstrapProject(ctx, 'basic', { prefix: 'mcpctxb' });
  const cwd = workFolder(ctx, 'mcp-context');
  expectExit(await ctx.stk(['context', 'set', '--project', a.project, '--env', 'dev'], { cwd }), 0);
  const running = await connectStdio(ctx, { env: { STK_AUTH_TOKEN: token }, cwd });
  try {
    assert.deepEqual(await releaseNamed(running), { project: a.project, releaseId: await releaseIdOf(ctx, a.project) }, 'the context file chooses the project');
    expectExit(await ctx.stk(['context', 'set', '--project', b.project], { cwd }), 0);
    assert.equal((await releaseNamed(running)).project, a.project, 'a running server keeps its context');
  } finally {
    await running.close();
  }
  const restarted = await connectStdio(ctx, { env: { STK_AUTH_TOKEN: token }, cwd });
  try {
    assert.deepEqual(await releaseNamed(restarted), { project: b.project, releaseId: await releaseIdOf(ctx, b.project) }, 'a restart applies the new context');
  } finally {
    await restarted.close();
  }
}, SLOW);

export const contextPrecedence = defineScenario('MCP-001', 'context: --project wins over STK_PROJECT, which wins over the file; stk mcp start reads the same context; stk context show and clear', async (ctx) => {
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
  const byFlag = await connectStdio(ctx, { env: { STK_AUTH_TOKEN: token, STK_PROJECT: a.project }, cwd }, ['--project', b.project]);
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
}, SLOW);

export const contextRefusals = defineScenario('MCP-001', 'start-up refusals of the context: no project, no env, a context file that is not a JSON object of strings; exit 1 with one line, nothing served', async (ctx) => {
  const token = await ctx.operatorToken();
  const empty = workFolder(ctx, 'mcp-none');
  await refusedStart(ctx, ['run'], /^Error: context not set: project/m, { STK_AUTH_TOKEN: token }, empty);
  await refusedStart(ctx, ['start', '--port', '0'], /^Error: context not set: project/m, { STK_AUTH_TOKEN: token }, empty);
  await refusedStart(ctx, ['run'], /^Error: context not set: env/m, { STK_AUTH_TOKEN: token, STK_PROJECT: 'p' }, empty);
  const broken = workFolder(ctx, 'mcp-broken');
  mkdirSync(join(broken, '.stk'));
  for (const [mode, text] of [[['run'], '[1, 2]'], [['start', '--port', '0'], '{"project": 3}'], [['run'], '{not json']] as const) {
    writeFileSync(join(broken, '.stk', 'context.json'), text);
    await refusedStart(ctx, [...mode], /^Error: invalid \.stk\/context\.json/m, { STK_AUTH_TOKEN: token }, broken);
  }
}, SLOW);

export const hubRefusals = defineScenario('MCP-001', 'start-up refusals of the Hub: unreachable, or the env has no current release; exit 1 with one line, no port bound', async (ctx) => {
  const token = await ctx.operatorToken();
  for (const mode of [['run'], ['start', '--port', '0']]) {
    await refusedStart(ctx, mode, /^Error: failed to initialize mcp server: hub unreachable at http:\/\/127\.0\.0\.1:1/m, { ...scope('p', token), STK_HUB_URL: REFUSED_HUB });
  }
  const bare = await bareProject(ctx, 'mcpbare');
  const viewer = await projectOperator(ctx, bare, 'viewer');
  await refusedStart(ctx, ['run'], new RegExp(`^Error: failed to initialize mcp server: no current release for ${bare}/dev`, 'm'), scope(bare, viewer.token));
  await refusedStart(ctx, ['start', '--port', '0'], /^Error: failed to initialize mcp server: no current release/m, scope(bare, viewer.token));
}, SLOW);

export const portRefusals = defineScenario('MCP-001', 'start-up refusals of the port: already in use, or not a port number; exit 1 with one line', async (ctx) => {
  const token = await ctx.operatorToken();
  const { project } = await bootstrapProject(ctx, 'basic', { prefix: 'mcpport' });
  await refusedStart(ctx, ['start', '--port', 'abc'], /^Error: invalid --port/m, scope(project, token));
  await refusedStart(ctx, ['start', '--port', '70000'], /^Error: invalid --port/m, scope(project, token));
  const first = await startMcpHttp(ctx, 0, { env: scope(project, token) });
  try {
    await refusedStart(ctx, ['start', '--port', String(first.port)], new RegExp(`^Error: port already in use: 127\\.0\\.0\\.1:${first.port}`, 'm'), scope(project, token));
  } finally {
    await first.stop();
  }
}, SLOW);

export const protocolErrors = defineScenario('MCP-001', 'stdio protocol errors are answered and the server keeps serving: not JSON -32700, no method -32600, unknown method or tool -32601; notifications get no answer', async (ctx) => {
  const { project } = await bootstrapProject(ctx, 'basic', { prefix: 'mcpproto' });
  const raw = startRawStdio(ctx, { env: scope(project, await ctx.operatorToken()) });
  try {
    raw.send('not json');
    raw.send({ jsonrpc: '2.0', id: 6 });
    raw.send({ jsonrpc: '2.0', id: 3, method: 'nope' });
    raw.send({ jsonrpc: '2.0', method: 'notifications/initialized' });
    raw.send({ jsonrpc: '2.0', id: 4, method: 'tools/call', params: { name: 'no_such_tool', arguments: {} } });
    raw.send({ jsonrpc: '2.0', id: 5, method: 'ping' });
    assert.deepEqual((await raw.answer(5)).result, {});
    assert.equal((await raw.answer(null)).error?.code, -32700, 'a line that is not JSON');
    assert.equal((await raw.answer(6)).error?.code, -32600, 'an object without a method');
    assert.equal((await raw.answer(3)).error?.code, -32601, 'an unknown method');
    assert.match((await raw.answer(4)).error?.message ?? '', /no_such_tool/);
    assert.equal((await raw.answer(4)).error?.code, -32601, 'an unknown tool');
    assert.equal(raw.lines().length, 5, `exactly one line per request, none for the notification:\n${raw.process.stdout()}`);
    assert.equal(await raw.endInput(), 0);
  } finally {
    await raw.process.stop();
  }
});
