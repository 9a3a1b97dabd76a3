import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { bootstrapProject, defineScenario } from '../kit/index.ts';
import { attachMcpHttp, connectSse, connectStdio, peekHttp, startMcpHttp } from '../kit/mcp.ts';
import { freePort } from '../../stack/ports.ts';
import { expectSixTools, mcpScope, releaseIdOf, releaseNamed, SLOW } from '../kit/mcp-helpers.ts';
import { startRawStdio } from '../kit/mcp-raw.ts';
import { startStk } from '../kit/stk-process.ts';

export const stdioMode = defineScenario(
  'MCP-001',
  'stdio: stk mcp run answers JSON-RPC lines, keeps running while stdin is open and exits 0 when it closes; the SDK client lists six closed tools',
  async (ctx) => {
    const { project } = await bootstrapProject(ctx, 'basic', { prefix: 'mcpstdio' });
    const raw = startRawStdio(ctx, { env: mcpScope(project, await ctx.operatorToken()) });
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
      assert.deepEqual(
        raw.lines().filter((line) => 'unparsed' in line),
        [],
        'stdout holds JSON-RPC lines only',
      );
      assert.equal(await raw.endInput(), 0, 'end of stdin ends the server with exit 0');
    } finally {
      await raw.process.stop();
    }
    const session = await connectStdio(ctx, { env: mcpScope(project, await ctx.operatorToken()) });
    try {
      assert.equal(session.client.getServerVersion()?.name, 'santokit');
      await expectSixTools(session);
      assert.deepEqual(await session.client.ping(), {});
    } finally {
      await session.close();
    }
  },
  SLOW,
);

export const httpMode = defineScenario(
  'MCP-001',
  'HTTP: stk mcp start listens on 127.0.0.1:8080 by default or on --port, serves SSE at /sse to the SDK client, and stops on SIGTERM',
  async (ctx) => {
    const { project } = await bootstrapProject(ctx, 'basic', { prefix: 'mcphttp' });
    const vars = mcpScope(project, await ctx.operatorToken());
    const byDefault = startStk(ctx, ['mcp', 'start'], { env: vars });
    try {
      const server = await attachMcpHttp(ctx, byDefault);
      assert.equal(server.port, 8080, 'the default port');
      const head = await peekHttp(server.sseUrl);
      assert.deepEqual([head.status, head.contentType], [200, 'text/event-stream']);
    } catch (error) {
      // Someone else on this machine holds 8080: then the documented refusal must name it.
      if ((await byDefault.exited) !== 1 || !/port already in use: 127\.0\.0\.1:8080/.test(byDefault.stderr()))
        throw error;
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
      assert.equal(
        (await peekHttp(new URL('/messages?sessionId=nope', server.sseUrl), { method: 'POST' })).status,
        404,
      );
      assert.equal(
        (await peekHttp(server.sseUrl, { host: 'evil.example' })).status,
        403,
        'a Host that is not loopback is refused',
      );
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
  },
  SLOW,
);

export const protocolErrors = defineScenario(
  'MCP-001',
  'stdio protocol errors are answered and the server keeps serving: not JSON -32700, no method -32600, unknown method or tool -32601; notifications get no answer',
  async (ctx) => {
    const { project } = await bootstrapProject(ctx, 'basic', { prefix: 'mcpproto' });
    const raw = startRawStdio(ctx, { env: mcpScope(project, await ctx.operatorToken()) });
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
      assert.equal(
        raw.lines().length,
        5,
        `exactly one line per request, none for the notification:\n${raw.process.stdout()}`,
      );
      assert.equal(await raw.endInput(), 0);
    } finally {
      await raw.process.stop();
    }
  },
  SLOW,
);
