import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { join } from 'node:path';
import {
  applyFolder,
  bareProject,
  bootstrapProject,
  defineScenario,
  projectOperator,
  signUpOperator,
} from '../kit/index.ts';
import { connectSse, connectStdio, expectToolError, expectToolResult, startMcpHttp } from '../kit/mcp.ts';
import { mcpScope, SLOW } from '../kit/mcp-helpers.ts';

const USERS = {
  name: 'users',
  connection: 'main',
  primaryKey: { name: 'id', type: 'string' },
  columns: [
    { name: 'id', type: 'string', nullable: false },
    { name: 'created_at', type: 'timestamp', nullable: false },
    { name: 'email', type: 'string', nullable: false },
    { name: 'name', type: 'string', nullable: true },
  ],
  foreignKeys: [],
};

const POSTS = {
  name: 'posts',
  connection: 'main',
  primaryKey: { name: 'id', type: 'string' },
  columns: [
    { name: 'id', type: 'string', nullable: false },
    { name: 'title', type: 'string', nullable: false },
    { name: 'user_id', type: 'string', nullable: true },
  ],
  foreignKeys: [{ column: 'user_id', references: { table: 'users', column: 'id' } }],
};

export const schemaTools = defineScenario(
  'MCP-002',
  'schema tools describe the current release: tables with their connection, each table with its key, columns and foreign keys, the same over stdio and SSE',
  async (ctx) => {
    const { project } = await bootstrapProject(ctx, 'expand', { prefix: 'mcpschema' });
    const viewer = await projectOperator(ctx, project, 'viewer');
    const stdio = await connectStdio(ctx, { env: mcpScope(project, viewer.token) });
    const answers: unknown[] = [];
    try {
      const listed = expectToolResult(await stdio.call('schema_list_tables'), 'schema_list_tables');
      assert.deepEqual(listed, {
        tables: [
          { name: 'posts', connection: 'main' },
          { name: 'users', connection: 'main' },
        ],
      });
      assert.deepEqual(expectToolResult(await stdio.call('schema_get_table', { table: 'users' }), 'users'), USERS);
      assert.deepEqual(expectToolResult(await stdio.call('schema_get_table', { table: 'posts' }), 'posts'), POSTS);
      answers.push(listed, USERS, POSTS);
    } finally {
      await stdio.close();
    }
    const http = await startMcpHttp(ctx, 0, { env: mcpScope(project, viewer.token) });
    try {
      const sse = await connectSse(ctx, http);
      const overSse = [
        expectToolResult(await sse.call('schema_list_tables'), 'schema_list_tables over SSE'),
        expectToolResult(await sse.call('schema_get_table', { table: 'users' }), 'users over SSE'),
        expectToolResult(await sse.call('schema_get_table', { table: 'posts' }), 'posts over SSE'),
      ];
      await sse.close();
      assert.deepEqual(overSse, answers, 'both transports give the same answers');
    } finally {
      await http.stop();
    }

    // A release that declares no tables: an empty list, not an error.
    const empty = await bareProject(ctx, 'mcpnotables');
    assert.ok(ctx.stack.workDir, 'the stack offers a work folder');
    await applyFolder(ctx, {
      project: empty,
      env: 'dev',
      ref: 'empty',
      dir: mkdtempSync(join(ctx.stack.workDir, 'mcp-empty-')),
    });
    const owner = await connectStdio(ctx, { env: mcpScope(empty, await ctx.operatorToken()) });
    try {
      assert.deepEqual(expectToolResult(await owner.call('schema_list_tables'), 'no tables'), { tables: [] });
    } finally {
      await owner.close();
    }
  },
  SLOW,
);

export const schemaRefusals = defineScenario(
  'MCP-002',
  'an unknown table is NOT_FOUND without other tables in the answer; a missing, empty or extra argument is -32602; no current release at call time is NOT_FOUND',
  async (ctx) => {
    const { project } = await bootstrapProject(ctx, 'expand', { prefix: 'mcpschemabad' });
    const viewer = await projectOperator(ctx, project, 'viewer');
    const session = await connectStdio(ctx, { env: mcpScope(project, viewer.token) });
    try {
      const ghost = expectToolError(
        await session.call('schema_get_table', { table: 'ghosts' }),
        -32004,
        /^NOT_FOUND: .*ghosts/,
      );
      assert.deepEqual(ghost.data, { code: 'NOT_FOUND' });
      assert.doesNotMatch(ghost.message, /users|posts/, 'no other table is named');
      expectToolError(await session.call('schema_get_table', {}), -32602, /table is required/);
      expectToolError(await session.call('schema_get_table', { table: '' }), -32602);
      expectToolError(
        await session.call('schema_get_table', { table: 'users', columns: true }),
        -32602,
        /unknown argument 'columns'/,
      );
    } finally {
      await session.close();
    }

    // The server starts for an operator the Hub refuses; once made viewer of an env without a release, calls say so.
    const bare = await bareProject(ctx, 'mcpschemanorel');
    const late = await signUpOperator(ctx, 'late');
    const waiting = await connectStdio(ctx, { env: mcpScope(bare, late.token) });
    try {
      expectToolError(await waiting.call('schema_list_tables'), -32003, /^FORBIDDEN/);
      const owner = await ctx.operatorToken();
      assert.equal(
        (
          await ctx.hub.post(
            '/api/project/invite',
            { project: bare, email: late.email, role: 'viewer' },
            { token: owner },
          )
        ).status,
        200,
      );
      assert.equal((await ctx.hub.post('/api/project/accept', { project: bare }, { token: late.token })).status, 200);
      expectToolError(
        await waiting.call('schema_list_tables'),
        -32004,
        new RegExp(`^NOT_FOUND: no current release for ${bare}/dev`),
      );
      expectToolError(await waiting.call('schema_get_table', { table: 'users' }), -32004, /no current release/);
    } finally {
      await waiting.close();
    }
  },
  SLOW,
);
