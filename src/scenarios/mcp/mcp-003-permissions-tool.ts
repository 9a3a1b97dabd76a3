import assert from 'node:assert/strict';
import { bootstrapProject, defineScenario, expectStatus, projectOperator, signUpOperator } from '../kit/index.ts';
import { connectStdio, expectToolError, expectToolResult } from '../kit/mcp.ts';
import { mcpScope, SLOW } from '../kit/mcp-helpers.ts';

export const permissionsTool = defineScenario(
  'MCP-003',
  'permissions_get_table gives every operation its rules in file order: roles, allow, and condition or columns where declared',
  async (ctx) => {
    const columns = await bootstrapProject(ctx, 'column_permissions', { prefix: 'mcpperm' });
    const viewer = await projectOperator(ctx, columns.project, 'viewer');
    const session = await connectStdio(ctx, { env: mcpScope(columns.project, viewer.token) });
    try {
      assert.deepEqual(expectToolResult(await session.call('permissions_get_table', { table: 'users' }), 'users'), {
        table: 'users',
        rules: {
          select: [
            { roles: ['admin'], allow: true, columns: ['*'] },
            { roles: ['basic'], allow: true, columns: ['id', 'name', 'avatar_url', 'bio'] },
          ],
          insert: [
            { roles: ['admin'], allow: true, columns: ['name', 'email', 'avatar_url', 'bio'] },
            { roles: ['basic'], allow: true, columns: ['name', 'bio'] },
          ],
          update: [
            { roles: ['admin'], allow: true, columns: ['name', 'avatar_url'] },
            { roles: ['basic'], allow: true, columns: ['bio'] },
          ],
          delete: [{ roles: ['admin'], allow: true }],
        },
      });
    } finally {
      await session.close();
    }

    const conditions = await bootstrapProject(ctx, 'cel_condition', { prefix: 'mcpcond' });
    const owner = await connectStdio(ctx, { env: mcpScope(conditions.project, await ctx.operatorToken()) });
    try {
      const users = expectToolResult(
        await owner.call('permissions_get_table', { table: 'users' }),
        'users with conditions',
      );
      assert.deepEqual((users.rules as Record<string, unknown>).select, [
        { roles: ['authenticated'], allow: true, condition: 'resource.id == request.auth.sub' },
        { roles: ['admin'], allow: true },
      ]);
      const notes = expectToolResult(await owner.call('permissions_get_table', { table: 'notes' }), 'notes');
      assert.deepEqual(notes.rules, {
        select: [{ roles: ['authenticated'], allow: true, condition: 'request.auth.sub == resource.owner_id' }],
        insert: [{ roles: ['authenticated'], allow: true, condition: 'resource.owner_id == request.auth.sub' }],
        update: [],
        delete: [],
      });
    } finally {
      await owner.close();
    }
  },
  SLOW,
);

export const permissionsRefusals = defineScenario(
  'MCP-003',
  'below project viewer (no role, org member, pending invite) the answer is FORBIDDEN with no rule data; an unknown table is NOT_FOUND',
  async (ctx) => {
    const { project } = await bootstrapProject(ctx, 'column_permissions', { prefix: 'mcppermbad' });
    const stranger = await signUpOperator(ctx, 'stranger');
    const owner = await ctx.operatorToken();
    const member = await signUpOperator(ctx, 'orgmember');
    expectStatus(
      await ctx.hub.post('/api/org/invite', { email: member.email, role: 'member' }, { token: owner }),
      200,
      'org invite',
    );
    expectStatus(await ctx.hub.post('/api/org/accept', {}, { token: member.token }), 200, 'org accept');
    const pending = await signUpOperator(ctx, 'pending');
    expectStatus(
      await ctx.hub.post('/api/project/invite', { project, email: pending.email, role: 'viewer' }, { token: owner }),
      200,
      'project invite',
    );

    for (const [who, token] of [
      ['no role', stranger.token],
      ['org member', member.token],
      ['pending viewer', pending.token],
    ] as const) {
      const session = await connectStdio(ctx, { env: mcpScope(project, token) });
      try {
        const refused = expectToolError(
          await session.call('permissions_get_table', { table: 'users' }),
          -32003,
          /^FORBIDDEN: insufficient role: project:viewer required$/,
          who,
        );
        assert.deepEqual(refused.data, { code: 'FORBIDDEN' });
      } finally {
        await session.close();
      }
    }
    const viewer = await projectOperator(ctx, project, 'viewer');
    const session = await connectStdio(ctx, { env: mcpScope(project, viewer.token) });
    try {
      expectToolError(
        await session.call('permissions_get_table', { table: 'missing_table' }),
        -32004,
        /^NOT_FOUND: table 'missing_table' not found$/,
      );
      expectToolError(await session.call('permissions_get_table', {}), -32602);
    } finally {
      await session.close();
    }
  },
  SLOW,
);
