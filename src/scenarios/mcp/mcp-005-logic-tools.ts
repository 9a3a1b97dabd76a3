import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { bootstrapProject, defineScenario, projectOperator } from '../kit/index.ts';
import { connectStdio, expectToolError, expectToolResult } from '../kit/mcp.ts';
import { mcpScope, SLOW } from '../kit/mcp-helpers.ts';

export const logicTools = defineScenario(
  'MCP-005',
  'logic_list names every logic of the release, sorted; logic_get gives its SQL, params (name, type, required) and auth (required, roles)',
  async (ctx) => {
    const { project, dir } = await bootstrapProject(ctx, 'logics_call', { prefix: 'mcplogic' });
    const viewer = await projectOperator(ctx, project, 'viewer');
    const session = await connectStdio(ctx, { env: mcpScope(project, viewer.token) });
    try {
      const declared = readdirSync(join(dir, 'logics'))
        .filter((file) => file.endsWith('.sql'))
        .map((file) => file.slice(0, -4))
        .sort();
      assert.deepEqual(expectToolResult(await session.call('logic_list'), 'logic_list'), { logics: declared });
      assert.deepEqual(
        expectToolResult(await session.call('logic_get', { name: 'default_params' }), 'default_params'),
        {
          name: 'default_params',
          sql: 'SELECT :greeting AS greeting',
          params: [{ name: 'greeting', type: 'string', required: false }],
          auth: { required: false, roles: [] },
        },
      );
      assert.deepEqual(expectToolResult(await session.call('logic_get', { name: 'admin_only' }), 'admin_only'), {
        name: 'admin_only',
        sql: 'SELECT COUNT(*)::int AS total FROM items',
        params: [],
        auth: { required: true, roles: ['admin'] },
      });
      const items = expectToolResult(await session.call('logic_get', { name: 'get_items' }), 'get_items');
      assert.deepEqual(items.params, [{ name: 'owner_id', type: 'string', required: true }]);
      assert.deepEqual(items.auth, { required: true, roles: [] });
      assert.match(
        String(items.sql),
        /^SELECT id, name, owner_id FROM items WHERE owner_id = :owner_id ORDER BY name$/,
      );
      assert.deepEqual(
        expectToolResult(await session.call('logic_get', { name: 'public_hello' }), 'public_hello').auth,
        { required: false, roles: [] },
      );
    } finally {
      await session.close();
    }

    const plain = await bootstrapProject(ctx, 'basic', { prefix: 'mcpnologic' });
    const owner = await connectStdio(ctx, { env: mcpScope(plain.project, await ctx.operatorToken()) });
    try {
      assert.deepEqual(
        expectToolResult(await owner.call('logic_list'), 'no logics'),
        { logics: [] },
        'a release without logics lists none, without an error',
      );
    } finally {
      await owner.close();
    }
  },
  SLOW,
);

export const logicRefusals = defineScenario(
  'MCP-005',
  'an unknown logic is NOT_FOUND naming it; a missing name is -32602',
  async (ctx) => {
    const { project } = await bootstrapProject(ctx, 'logics_call', { prefix: 'mcplogicbad' });
    const session = await connectStdio(ctx, { env: mcpScope(project, await ctx.operatorToken()) });
    try {
      const missing = expectToolError(
        await session.call('logic_get', { name: 'missing_logic' }),
        -32004,
        /^NOT_FOUND: logic 'missing_logic' not found$/,
      );
      assert.deepEqual(missing.data, { code: 'NOT_FOUND' });
      expectToolError(await session.call('logic_get', {}), -32602, /name is required/);
      expectToolError(await session.call('logic_get', { name: 'default_params', sql: true }), -32602);
    } finally {
      await session.close();
    }
  },
  SLOW,
);
