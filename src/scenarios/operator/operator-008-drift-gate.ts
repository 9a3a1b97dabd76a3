import assert from 'node:assert/strict';
import {
  appliedReleaseId,
  addEnv,
  bootstrapProject,
  createApiKey,
  currentRelease,
  defineScenario,
  expectExit,
  expectRows,
  expectStatus,
} from '../kit/index.ts';
import type { BootstrappedProject, ScenarioContext } from '../kit/index.ts';
import type { ProjectDatabase } from '../kit/db.ts';

interface DriftSetup extends BootstrappedProject {
  readonly prod: ProjectDatabase;
  /** Release ids: dev's d1 and prod's p1. */
  readonly d1: string;
  readonly p1: string;
}

/** dev and prod both applied from `basic`, prod baselined by its apply. */
async function setup(ctx: ScenarioContext): Promise<DriftSetup> {
  const base = await bootstrapProject(ctx, 'basic', { ref: 'd1', prefix: 'drift' });
  const prod = await addEnv(ctx, base.project, 'prod');
  const d1 = await currentRelease(ctx, base.project, 'dev');
  const applied = await ctx.stk(['apply', '--project', base.project, '--env', 'prod', '--ref', 'p1'], {
    cwd: base.dir,
  });
  expectExit(applied, 0);
  return { ...base, prod, d1, p1: appliedReleaseId(applied.stdout) };
}

function drift(ctx: ScenarioContext, project: string, env = 'prod') {
  return ctx.stk(['schema', 'drift', '--project', project, '--env', env]);
}

function promote(ctx: ScenarioContext, project: string, ...extra: string[]) {
  return ctx.stk(['release', 'promote', '--project', project, '--from', 'dev', '--to', 'prod', ...extra]);
}

async function currentOf(ctx: ScenarioContext, project: string, env: string): Promise<string> {
  return (
    /Current release: (\S+)/.exec(
      (await ctx.stk(['release', 'current', '--project', project, '--env', env])).stdout,
    )?.[1] ?? ''
  );
}

export const driftGate = defineScenario(
  'OPERATOR-008',
  'drift blocks promote and release creation until it is fixed',
  async (ctx) => {
    const { project, prod, d1, p1, dir } = await setup(ctx);
    const snapshot = await ctx.stk(['schema', 'snapshot', '--project', project, '--env', 'prod']);
    expectExit(snapshot, 0);
    assert.match(snapshot.stdout, /^snapshot ok\n- main: 1 tables$/m);
    const snapshotJson = JSON.parse(
      (await ctx.stk(['schema', 'snapshot', '--project', project, '--env', 'prod', '--json'])).stdout,
    ) as {
      snapshots: {
        connection: string;
        taken_at: string;
        tables: { name: string; columns: { name: string; type: string; nullable: boolean }[] }[];
      }[];
    };
    const mainSnapshot = snapshotJson.snapshots.find((entry) => entry.connection === 'main');
    assert.ok(!Number.isNaN(Date.parse(mainSnapshot?.taken_at ?? '')), `taken_at is a time: ${mainSnapshot?.taken_at}`);
    const users = mainSnapshot?.tables.find((table) => table.name === 'users');
    assert.deepEqual(users?.columns.map((column) => column.name).sort(), ['created_at', 'email', 'id', 'name']);
    assert.ok(
      users?.columns.every((column) => typeof column.type === 'string' && typeof column.nullable === 'boolean'),
    );

    const clean = await drift(ctx, project);
    expectExit(clean, 0);
    assert.match(clean.stdout, new RegExp(`^Schema drift for ${project}/prod\\n- main: no drift$`, 'm'));

    await ctx.db.query(prod.name, 'ALTER TABLE users ADD COLUMN nickname text');
    const drifted = await drift(ctx, project);
    expectExit(drifted, 1);
    assert.match(drifted.stdout, /^- main: extra column users\.nickname$/m);

    const refused = await promote(ctx, project);
    expectExit(refused, 1);
    assert.match(
      refused.stderr,
      /^Error: request failed: 409 Conflict \(schema drift detected on connection main: extra column users\.nickname\)$/m,
    );
    const refusedJson = JSON.parse((await promote(ctx, project, '--json')).stdout) as {
      error: { code: string; details: { drift: unknown } };
    };
    assert.equal(refusedJson.error.code, 'SCHEMA_DRIFT');
    assert.deepEqual(refusedJson.error.details.drift, [
      { connection: 'main', issues: ['extra column users.nickname'] },
    ]);
    assert.equal(await currentOf(ctx, project, 'prod'), p1, 'prod still serves p1');

    const releasesBefore = (await ctx.stk(['release', 'list', '--project', project, '--env', 'prod'])).stdout;
    const blockedApply = await ctx.stk(
      ['apply', '--project', project, '--env', 'prod', '--ref', 'p2', '--only', 'permissions,release', '--json'],
      { cwd: dir },
    );
    expectExit(blockedApply, 1);
    assert.match(blockedApply.stderr, /409 Conflict/);
    assert.equal((JSON.parse(blockedApply.stdout) as { error: { code: string } }).error.code, 'SCHEMA_DRIFT');
    assert.equal(
      (await ctx.stk(['release', 'list', '--project', project, '--env', 'prod'])).stdout,
      releasesBefore,
      'no release was created',
    );

    await ctx.db.query(prod.name, 'ALTER TABLE users DROP COLUMN nickname');
    expectExit(await drift(ctx, project), 0);
    expectExit(await promote(ctx, project), 0);
    assert.equal(await currentOf(ctx, project, 'prod'), d1, 'prod now serves d1');
    const apiKey = await createApiKey(ctx, project, 'prod', 'admin');
    expectStatus(
      await ctx.bridge.call('db/users/insert', { values: { email: 'after@drift.test' } }, { apiKey }),
      200,
      'insert on prod',
    );
    const rows = expectRows<{ email: string }>(
      await ctx.bridge.call('db/users/select', { where: { email: 'after@drift.test' } }, { apiKey }),
    );
    assert.equal(rows.length, 1);
  },
);

export const snapshotAccepts = defineScenario(
  'OPERATOR-008',
  'a fresh snapshot or a full apply resolves drift',
  async (ctx) => {
    const { project, prod, dir } = await setup(ctx);
    await ctx.db.query(prod.name, 'ALTER TABLE users ADD COLUMN nickname text');
    expectExit(await promote(ctx, project), 1);
    expectExit(await ctx.stk(['schema', 'snapshot', '--project', project, '--env', 'prod']), 0);
    expectExit(await promote(ctx, project), 0);

    await ctx.db.query(prod.name, 'ALTER TABLE users ADD COLUMN mood text');
    expectExit(await promote(ctx, project), 1);
    expectExit(await ctx.stk(['apply', '--project', project, '--env', 'prod', '--ref', 'p3'], { cwd: dir }), 0);
    const after = await drift(ctx, project);
    expectExit(after, 0);
    assert.match(after.stdout, /^- main: no drift$/m);
  },
);

export const sourceAndUnbaselined = defineScenario(
  'OPERATOR-008',
  'drift in the source env and envs without a baseline do not block',
  async (ctx) => {
    const { project, database } = await setup(ctx);
    expectExit(await ctx.stk(['schema', 'snapshot', '--project', project, '--env', 'dev']), 0);
    await ctx.db.query(database.name, 'ALTER TABLE users ADD COLUMN nickname text');
    expectExit(await drift(ctx, project, 'dev'), 1);
    expectExit(await promote(ctx, project), 0);

    const staging = await addEnv(ctx, project, 'staging');
    await ctx.db.query(staging.name, 'CREATE TABLE handmade (id int)');
    // No baseline, so no drift; the tables the release needs are there (promote runs no DDL, OPERATOR-005).
    await ctx.db.query(
      staging.name,
      'CREATE TABLE users (id text PRIMARY KEY, email text NOT NULL UNIQUE, name text, created_at timestamp NOT NULL DEFAULT now())',
    );
    expectExit(await ctx.stk(['release', 'promote', '--project', project, '--from', 'dev', '--to', 'staging']), 0);
  },
);

const CHANGES: readonly [string, string][] = [
  ['ALTER TABLE users DROP COLUMN name', 'missing column users.name'],
  ['CREATE TABLE audit_tmp (id int)', 'extra table audit_tmp'],
  ['DROP TABLE users', 'missing table users'],
  ['ALTER TABLE users ALTER COLUMN name TYPE varchar(10)', 'type changed users.name: text -> character varying(10)'],
  ['ALTER TABLE users ALTER COLUMN name SET NOT NULL', 'nullability changed users.name: nullable -> not null'],
];

export const everyKindOfDrift = defineScenario(
  'OPERATOR-008',
  'each kind of out-of-band change is named by drift and blocks promote',
  async (ctx) => {
    // One project per change, checked side by side: the changes are independent.
    await Promise.all(
      CHANGES.map(async ([change, issue]) => {
        const { project, prod } = await setup(ctx);
        await ctx.db.query(prod.name, change);
        const reported = await drift(ctx, project);
        expectExit(reported, 1);
        assert.ok(reported.stdout.includes(issue), `drift names '${issue}': ${reported.stdout}`);
        const refused = await promote(ctx, project);
        expectExit(refused, 1);
        assert.ok(
          refused.stderr.includes('409 Conflict') && refused.stderr.includes(issue),
          `promote names '${issue}': ${refused.stderr}`,
        );
      }),
    );
  },
  { timeoutMs: 180_000 },
);

export const twoIssuesAndFailures = defineScenario(
  'OPERATOR-008',
  'two issues are listed together; snapshot failures keep the old baseline; viewers read but cannot snapshot',
  async (ctx) => {
    const { project, prod } = await setup(ctx);
    await ctx.db.query(prod.name, 'ALTER TABLE users ADD COLUMN a text');
    await ctx.db.query(prod.name, 'ALTER TABLE users ADD COLUMN b text');
    const both = JSON.parse((await promote(ctx, project, '--json')).stdout) as {
      error: { message: string; details: { drift: { issues: string[] }[] } };
    };
    assert.match(both.error.message, /extra column users\.a, extra column users\.b/);
    assert.deepEqual(both.error.details.drift[0]?.issues, ['extra column users.a', 'extra column users.b']);

    const closed = prod.serviceUrl.replace(/:(\d+)\//, ':1/');
    const set = (url: string) =>
      ctx.stk([
        'connections',
        'set',
        '--project',
        project,
        '--env',
        'prod',
        '--name',
        'main',
        '--engine',
        'postgres',
        '--db-url',
        url,
      ]);
    expectExit(await set(closed), 0);
    const failed = await ctx.stk(['schema', 'snapshot', '--project', project, '--env', 'prod']);
    expectExit(failed, 1);
    assert.match(failed.stderr, /400 Bad Request \(connection failed: main\)/);
    expectExit(await set(prod.serviceUrl), 0);
    expectExit(await drift(ctx, project), 1);

    const email = `${ctx.uniqueName('viewer')}@example.com`;
    expectStatus(
      await ctx.hub.post('/api/auth/signup', { email, password: 'viewer-password' }),
      200,
      'operator signup',
    );
    expectExit(await ctx.stk(['project', 'invite', email, '--project', project, '--role', 'viewer']), 0);
    const login = await ctx.hub.post('/api/auth/login', { email, password: 'viewer-password' });
    const viewer = { STK_AUTH_TOKEN: String((login.json as { token?: unknown }).token) };
    expectExit(await ctx.stk(['project', 'accept', '--project', project], { env: viewer }), 0);
    const denied = await ctx.stk(['schema', 'snapshot', '--project', project, '--env', 'prod'], { env: viewer });
    expectExit(denied, 1);
    assert.match(denied.stderr, /403 Forbidden \(insufficient role\)/);
    expectExit(await ctx.stk(['schema', 'drift', '--project', project, '--env', 'prod'], { env: viewer }), 1);
  },
);
