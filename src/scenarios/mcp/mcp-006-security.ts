import assert from 'node:assert/strict';
import {
  bootstrapProject,
  createApiKey,
  defineScenario,
  expectStatus,
  projectOperator,
  signUpOperator,
} from '../kit/index.ts';
import type { ScenarioContext } from '../kit/index.ts';
import { connectStdio, expectToolError, expectToolResult, type McpSession } from '../kit/mcp.ts';
import { mcpScope, SLOW } from '../kit/mcp-helpers.ts';
import { startRawStdio } from '../kit/mcp-raw.ts';

/** One call of each tool, with arguments that exist in fixture `mcp_secrets`. */
const EVERY_TOOL: readonly [string, Record<string, unknown>][] = [
  ['schema_list_tables', {}],
  ['schema_get_table', { table: 'accounts' }],
  ['permissions_get_table', { table: 'accounts' }],
  ['release_current', {}],
  ['logic_list', {}],
  ['logic_get', { name: 'plain' }],
];

async function everyToolAnswers(session: McpSession, who: string): Promise<void> {
  for (const [name, args] of EVERY_TOOL) expectToolResult(await session.call(name, args), `${who}: ${name}`);
}

async function everyToolRefused(session: McpSession, who: string): Promise<void> {
  for (const [name, args] of EVERY_TOOL)
    expectToolError(
      await session.call(name, args),
      -32003,
      /^FORBIDDEN: insufficient role: project:viewer required$/,
      `${who}: ${name}`,
    );
  const { tools } = await session.client.listTools();
  assert.equal(tools.length, 6, `${who}: tools/list needs no role`);
}

function passwordOf(url: string): string {
  return decodeURIComponent(new URL(url).password);
}

async function grant(ctx: ScenarioContext, project: string, operator: { email: string; token: string }): Promise<void> {
  const owner = await ctx.operatorToken();
  expectStatus(
    await ctx.hub.post('/api/project/invite', { project, email: operator.email, role: 'viewer' }, { token: owner }),
    200,
    'invite',
  );
  expectStatus(await ctx.hub.post('/api/project/accept', { project }, { token: operator.token }), 200, 'accept');
}

export const redaction = defineScenario(
  'MCP-006',
  'viewer, deployer and admin may call every tool; no answer of a whole session holds a database URL, credential, key or token, and SQL holding a database URL comes back as [REDACTED]',
  async (ctx) => {
    const { project, database } = await bootstrapProject(ctx, 'mcp_secrets', { prefix: 'mcpsecret' });
    const apiKey = await createApiKey(ctx, project, 'dev', 'admin', 'mcp-probe');
    const viewer = await projectOperator(ctx, project, 'viewer');
    const raw = startRawStdio(ctx, { env: mcpScope(project, viewer.token) });
    try {
      raw.send({ jsonrpc: '2.0', id: 1, method: 'initialize', params: {} });
      raw.send({ jsonrpc: '2.0', id: 2, method: 'tools/list' });
      const calls: [string, Record<string, unknown>][] = [
        ...EVERY_TOOL,
        ['logic_get', { name: 'leaky' }],
        ['schema_get_table', { table: 'postgres://u:p@h/db' }],
      ];
      calls.forEach(([name, args], index) =>
        raw.send({ jsonrpc: '2.0', id: 10 + index, method: 'tools/call', params: { name, arguments: args } }),
      );
      const answers = await Promise.all(calls.map((_call, index) => raw.answer(10 + index)));
      answers
        .slice(0, EVERY_TOOL.length)
        .forEach((answer, index) => assert.ok(answer.result, `${calls[index]?.[0]}: ${JSON.stringify(answer.error)}`));
      const leaky = answers[EVERY_TOOL.length]?.result as { sql?: unknown; name?: unknown } | undefined;
      assert.deepEqual(
        [leaky?.name, leaky?.sql],
        ['leaky', '[REDACTED]'],
        'SQL holding a database URL is replaced whole',
      );
      assert.equal(
        (answers[5]?.result as { sql?: unknown } | undefined)?.sql,
        'SELECT 2 AS two',
        'other SQL is shown as written',
      );
      const accounts = answers[1]?.result as { primaryKey?: unknown; columns?: { name: string }[] } | undefined;
      assert.deepEqual(accounts?.primaryKey, { name: 'account_no', type: 'bigint' });
      assert.ok(
        accounts?.columns?.some((column) => column.name === 'api_key'),
        'names that look sensitive are metadata and stay',
      );
      assert.deepEqual(
        answers.at(-1)?.error,
        { code: -32004, message: 'NOT_FOUND: [REDACTED]', data: { code: 'NOT_FOUND' } },
        'errors are redacted too',
      );

      const session = raw.process.stdout();
      const secrets = {
        'postgres://': 'postgres://',
        'postgresql://': 'postgresql://',
        'v4.local.': 'v4.local.',
        'hunter2-secret': 'hunter2-secret',
      } as Record<string, string>;
      Object.assign(secrets, {
        'the database password': passwordOf(database.serviceUrl),
        'the viewer token': viewer.token,
        'the owner token': await ctx.operatorToken(),
        'the API key': apiKey,
      });
      for (const [what, value] of Object.entries(secrets))
        assert.ok(!session.includes(value), `the session output holds no ${what}`);
      assert.equal(await raw.endInput(), 0);
    } finally {
      await raw.process.stop();
    }
    for (const role of ['deployer', 'admin']) {
      const operator = await projectOperator(ctx, project, role);
      const session = await connectStdio(ctx, { env: mcpScope(project, operator.token) });
      try {
        await everyToolAnswers(session, role);
      } finally {
        await session.close();
      }
    }
  },
  SLOW,
);

export const refusals = defineScenario(
  'MCP-006',
  'without a token, with a bad one or without a project role every tool is FORBIDDEN with no data; the role is checked again on every call',
  async (ctx) => {
    const { project } = await bootstrapProject(ctx, 'mcp_secrets', { prefix: 'mcpforbid' });
    for (const [who, token] of [
      ['no token', undefined],
      ['a token that does not verify', 'v4.local.not-a-real-token'],
    ] as const) {
      const session = await connectStdio(ctx, { env: mcpScope(project, token) });
      try {
        await everyToolRefused(session, who);
      } finally {
        await session.close();
      }
    }
    const stranger = await signUpOperator(ctx, 'stranger');
    const session = await connectStdio(ctx, { env: mcpScope(project, stranger.token) });
    try {
      await everyToolRefused(session, 'no project role');
      await grant(ctx, project, stranger);
      await everyToolAnswers(session, 'granted viewer during the session');
      const owner = await ctx.operatorToken();
      expectStatus(
        await ctx.hub.post('/api/project/remove', { project, user: stranger.email }, { token: owner }),
        200,
        'remove',
      );
      expectToolError(await session.call('schema_list_tables'), -32003, /^FORBIDDEN/, 'removed during the session');
    } finally {
      await session.close();
    }
  },
  SLOW,
);

export const timeLimit = defineScenario(
  'MCP-006',
  'a tool call slower than 5 seconds answers TIMEOUT, never a late result, and the server keeps serving',
  async (ctx) => {
    const { project } = await bootstrapProject(ctx, 'mcp_secrets', { prefix: 'mcpslow' });
    const raw = startRawStdio(ctx, {
      env: { ...mcpScope(project, await ctx.operatorToken()), STK_MCP_TEST_DELAY_MS: '6000' },
    });
    try {
      raw.send({ jsonrpc: '2.0', id: 1, method: 'initialize', params: {} });
      await raw.answer(1);
      const sent = Date.now();
      raw.send({ jsonrpc: '2.0', id: 2, method: 'tools/call', params: { name: 'schema_list_tables', arguments: {} } });
      const answer = await raw.answer(2, 15_000);
      const elapsed = Date.now() - sent;
      assert.deepEqual(answer.error, {
        code: -32008,
        message: 'TIMEOUT: tool execution exceeded 5s limit',
        data: { code: 'TIMEOUT' },
      });
      assert.ok(!('result' in answer), 'no partial result');
      assert.ok(elapsed >= 4_900, `answered by the 5 s limit, not before it (${elapsed} ms)`);
      raw.send({ jsonrpc: '2.0', id: 3, method: 'ping' });
      assert.deepEqual((await raw.answer(3)).result, {}, 'the next message is served');
      // Past the moment the slow call itself would have finished: still one answer for id 2.
      await new Promise((resolve) => setTimeout(resolve, Math.max(0, 6_500 - (Date.now() - sent))));
      assert.equal(raw.lines().filter((line) => line.id === 2).length, 1, 'the abandoned call never answers later');
      assert.equal(await raw.endInput(), 0);
    } finally {
      await raw.process.stop();
    }
  },
  SLOW,
);
