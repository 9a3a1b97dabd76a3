import assert from 'node:assert/strict';
import {
  appliedReleaseId,
  bootstrapProject,
  createApiKey,
  currentRelease,
  defineScenario,
  expectEnvelope,
  expectExit,
  expectRows,
  expectStatus,
  projectOperator,
} from '../kit/index.ts';
import type { ScenarioContext } from '../kit/index.ts';

const applyPerms = (
  ctx: ScenarioContext,
  project: string,
  fixture: string,
  ref: string,
  env: Record<string, string> = {},
) =>
  ctx.stk(['apply', '--project', project, '--env', 'dev', '--ref', ref, '--only', 'permissions,release'], {
    cwd: ctx.fixture(fixture),
    env,
  });

async function callers(ctx: ScenarioContext, project: string) {
  const [reader, writer] = await Promise.all([
    createApiKey(ctx, project, 'dev', 'reader', 'reader'),
    createApiKey(ctx, project, 'dev', 'writer', 'writer'),
  ]);
  const hints = { project, env: 'dev' };
  return {
    select: () => ctx.bridge.call('db/users/select', {}, { apiKey: reader, ...hints }),
    insert: (email: string) => ctx.bridge.call('db/users/insert', { values: { email } }, { apiKey: writer, ...hints }),
  };
}

/** perms_v1: reader selects, writer may not insert. */
async function behavesLikeV1(call: Awaited<ReturnType<typeof callers>>, email: string): Promise<void> {
  expectRows(await call.select());
  expectEnvelope(await call.insert(email), { what: 'writer insert under perms_v1', status: 403, code: 'FORBIDDEN' });
}

export const permissionsOnly = defineScenario(
  'OPERATOR-004',
  'a permissions-only apply changes what the very next call may do, without DDL',
  async (ctx) => {
    const { project, database } = await bootstrapProject(ctx, 'perms_v1', { prefix: 'perms', ref: 'perms-1' });
    const call = await callers(ctx, project);
    await behavesLikeV1(call, 'early@example.com');
    const first = await currentRelease(ctx, project, 'dev');

    const applied = await applyPerms(ctx, project, 'perms_v2', 'perms-2');
    expectExit(applied, 0);
    const second = appliedReleaseId(applied.stdout);
    assert.notEqual(second, first, 'a new release');
    assert.doesNotMatch(applied.stdout, /^ddl /m);
    // No waiting: the Bridge enforces the new release on the first call after the apply answered.
    expectEnvelope(await call.select(), { what: 'reader select under perms_v2', status: 403, code: 'FORBIDDEN' });
    expectStatus(await call.insert('w1@example.com'), 200, 'writer insert under perms_v2');
    const current = await ctx.stk(['release', 'current', '--project', project, '--env', 'dev']);
    assert.match(current.stdout, new RegExp(`^Current release: ${second}$`, 'm'));
    assert.match(current.stdout, /^Ref: perms-2$/m);
    const again = await applyPerms(ctx, project, 'perms_v2', 'perms-2');
    assert.equal(appliedReleaseId(again.stdout), second);
    assert.match(again.stdout, /^reused: true$/m);

    expectExit(await applyPerms(ctx, project, 'perms_v1', 'perms-3'), 0);
    await behavesLikeV1(call, 'late@example.com');

    const tablesBefore = await ctx.db.query(
      database.name,
      `SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' ORDER BY 1`,
    );
    expectExit(await applyPerms(ctx, project, 'perms_new_table', 'perms-4'), 0);
    assert.deepEqual(
      await ctx.db.query(
        database.name,
        `SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' ORDER BY 1`,
      ),
      tablesBefore,
      'no DDL ran',
    );
  },
);

export const invalidPermissions = defineScenario(
  'OPERATOR-004',
  'invalid rules, drift and viewers are refused; the release and the Bridge stay as they were',
  async (ctx) => {
    const { project, database } = await bootstrapProject(ctx, 'perms_v1', { prefix: 'perms', ref: 'perms-1' });
    const call = await callers(ctx, project);
    const release = await currentRelease(ctx, project, 'dev');
    const refusals = [
      ['perms_ghost', /tables\.ghosts/],
      ['perms_bad_column', /shoe_size/],
      ['perms_bad_op', /upsert/],
      ['perms_star_mixed', /\*/],
      ['perms_no_roles', /roles/],
    ] as const;
    for (const [fixture, mentions] of refusals) {
      const result = await ctx.stk(
        ['apply', '--project', project, '--env', 'dev', '--ref', fixture, '--only', 'permissions,release', '--json'],
        { cwd: ctx.fixture(fixture) },
      );
      expectExit(result, 1);
      const error = (
        JSON.parse(result.stdout) as {
          error: { code: string; message: string; details?: { file?: string; path?: string } };
        }
      ).error;
      assert.match(result.stderr, /422 Unprocessable Entity/, fixture);
      assert.equal(error.code, 'INVALID_PERMISSIONS', `${fixture}: ${result.stdout}`);
      assert.equal(error.details?.file, 'config/permissions.yaml', fixture);
      assert.match(`${error.message} ${error.details?.path ?? ''}`, mentions, fixture);
      if (fixture === 'perms_ghost') assert.equal(error.details?.path, 'tables.ghosts');
    }
    assert.equal(await currentRelease(ctx, project, 'dev'), release);
    await behavesLikeV1(call, 'unchanged@example.com');

    const viewer = await projectOperator(ctx, project, 'viewer');
    const denied = await applyPerms(ctx, project, 'perms_v2', 'by-viewer', viewer.env);
    expectExit(denied, 1);
    assert.match(denied.stderr, /403 Forbidden \(insufficient role\)/);
    const deployer = await projectOperator(ctx, project, 'deployer');
    expectExit(await applyPerms(ctx, project, 'perms_v2', 'by-deployer', deployer.env), 0);

    await ctx.db.query(database.name, 'ALTER TABLE users ADD COLUMN drifted text');
    const drifted = await ctx.stk(
      [
        'apply',
        '--project',
        project,
        '--env',
        'dev',
        '--ref',
        'after-drift',
        '--only',
        'permissions,release',
        '--json',
      ],
      { cwd: ctx.fixture('perms_v1') },
    );
    expectExit(drifted, 1);
    assert.equal((JSON.parse(drifted.stdout) as { error: { code: string } }).error.code, 'SCHEMA_DRIFT');
    assert.match(drifted.stderr, /409 Conflict \(schema drift detected/);
  },
);
