import assert from 'node:assert/strict';
import {
  appliedReleaseId,
  addEnv,
  bootstrapProject,
  createApiKey,
  currentRelease,
  defineScenario,
  expectEnvelope,
  expectError,
  expectExit,
  expectRows,
  expectStatus,
  projectOperator,
} from '../kit/index.ts';
import type { ScenarioContext } from '../kit/index.ts';

const stkOk = async (ctx: ScenarioContext, args: string[], cwd?: string) => {
  const result = await ctx.stk(args, cwd === undefined ? {} : { cwd });
  expectExit(result, 0);
  return result.stdout;
};

/** dev: r1 = perms_v1, r2 = perms_v2 (current); prod: schema only, no release. */
async function setup(ctx: ScenarioContext) {
  const base = await bootstrapProject(ctx, 'perms_v1', { prefix: 'promote', ref: 'r1' });
  const r1 = await currentRelease(ctx, base.project, 'dev');
  const r2 = appliedReleaseId(
    await stkOk(ctx, ['apply', '--project', base.project, '--env', 'dev', '--ref', 'r2'], ctx.fixture('perms_v2')),
  );
  const prod = await addEnv(ctx, base.project, 'prod');
  await stkOk(
    ctx,
    ['apply', '--project', base.project, '--env', 'prod', '--ref', 'p0', '--only', 'schema'],
    ctx.fixture('perms_v1'),
  );
  return { ...base, prod, r1, r2 };
}

/** A pointer move straight on the Hub: points 4 and 5 answer `200 {"ok": true, "release_id"}`. */
async function moveByHub(ctx: ScenarioContext, path: string, body: Record<string, string>, expected: string) {
  const response = await ctx.hub.post(path, body, { token: await ctx.operatorToken() });
  expectStatus(response, 200, path);
  const { ok, release_id } = response.json as { ok?: unknown; release_id?: unknown };
  assert.deepEqual({ ok, release_id }, { ok: true, release_id: expected }, path);
}

const tableList = (ctx: ScenarioContext, name: string) =>
  ctx.db.query(name, `SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' ORDER BY 1`);

export const promoteAndRollback = defineScenario(
  'OPERATOR-005',
  'releases are listed, promoted by env or id, rolled back and shown; the next /call follows',
  async (ctx) => {
    const { project, database, prod, r1, r2 } = await setup(ctx);
    const tablesBefore = [await tableList(ctx, database.name), await tableList(ctx, prod.name)];
    const list = (await stkOk(ctx, ['release', 'list', '--project', project, '--env', 'dev'])).trim().split('\n');
    assert.equal(list.length, 2);
    assert.match(list[0] ?? '', new RegExp(`^${r2} ref=r2 created=\\S+ \\(current\\)$`));
    assert.match(list[1] ?? '', new RegExp(`^${r1} ref=r1 created=\\S+$`));
    const limited = JSON.parse(
      await stkOk(ctx, ['release', 'list', '--project', project, '--env', 'dev', '--limit', '1', '--json']),
    ) as { id: string; current: boolean }[];
    assert.deepEqual(
      limited.map((item) => [item.id, item.current]),
      [[r2, true]],
    );

    assert.match(
      await stkOk(ctx, ['release', 'promote', '--project', project, '--from', 'dev', '--to', 'prod']),
      new RegExp(`^Release promoted to prod: ${r2}$`, 'm'),
    );
    assert.equal(await currentRelease(ctx, project, 'prod'), r2);
    const prodReader = await createApiKey(ctx, project, 'prod', 'reader', 'reader');
    expectEnvelope(await ctx.bridge.call('db/users/select', {}, { apiKey: prodReader }), {
      what: 'prod reader under r2',
      status: 403,
      code: 'FORBIDDEN',
    });

    // Point 6: the Hub answers a move once every Bridge dropped the old release, so the Bridge
    // that has just served prod under r2 serves the next /call under r1 (reader select allowed).
    await stkOk(ctx, ['release', 'promote', '--project', project, '--release-id', r1, '--to', 'prod']);
    assert.equal(await currentRelease(ctx, project, 'prod'), r1);
    expectRows(await ctx.bridge.call('db/users/select', {}, { apiKey: prodReader }));
    const prodList = await stkOk(ctx, ['release', 'list', '--project', project, '--env', 'prod']);
    assert.match(prodList, new RegExp(`^${r1} .*\\(current\\)$`, 'm'));
    assert.match(prodList, new RegExp(`^${r2} `, 'm'));

    const devReader = await createApiKey(ctx, project, 'dev', 'reader', 'reader');
    expectEnvelope(await ctx.bridge.call('db/users/select', {}, { apiKey: devReader }), {
      what: 'dev reader under r2',
      status: 403,
      code: 'FORBIDDEN',
    });
    assert.match(
      await stkOk(ctx, ['release', 'rollback', '--project', project, '--env', 'dev', '--to-release-id', r1]),
      new RegExp(`^Rollback complete: ${r1}$`, 'm'),
    );
    assert.equal(await currentRelease(ctx, project, 'dev'), r1);
    expectRows(await ctx.bridge.call('db/users/select', {}, { apiKey: devReader }));

    const shown = await stkOk(ctx, ['release', 'show', '--project', project, '--release-id', r1]);
    for (const line of [`Release: ${r1}`, `Project/Env: ${project}/dev`, 'Ref: r1'])
      assert.match(shown, new RegExp(`^${line.replace(/[/.]/g, '\\$&')}$`, 'm'));
    await moveByHub(ctx, '/api/releases/promote', { project, release_id: r2, to: 'prod' }, r2);
    expectEnvelope(await ctx.bridge.call('db/users/select', {}, { apiKey: prodReader }), {
      what: 'prod reader under r2 again',
      status: 403,
      code: 'FORBIDDEN',
    });
    await moveByHub(ctx, '/api/releases/rollback', { project, env: 'prod', to_release_id: r1 }, r1);
    expectRows(await ctx.bridge.call('db/users/select', {}, { apiKey: prodReader }));
    assert.deepEqual(
      [await tableList(ctx, database.name), await tableList(ctx, prod.name)],
      tablesBefore,
      'no promote or rollback ran DDL',
    );
  },
);

export const promoteRefusals = defineScenario(
  'OPERATOR-005',
  'bad limits, missing sources, unknown or foreign releases, unknown envs and viewers are refused; pointers stay',
  async (ctx) => {
    const { project, r1 } = await setup(ctx);
    const other = await bootstrapProject(ctx, 'perms_v1', { prefix: 'promote', ref: 'x1' });
    const foreign = await currentRelease(ctx, other.project, 'dev');
    await stkOk(ctx, ['env', 'create', '--project', project, 'empty']);
    const fails = async (args: string[], status: RegExp, env: Record<string, string> = {}) => {
      const result = await ctx.stk(args, { env });
      expectExit(result, 1);
      assert.match(result.stderr, status, args.join(' '));
      // errors.md: every refusal has a message, which stk shows in parentheses after the status.
      assert.match(result.stderr, /^Error: request failed: \d{3} [A-Za-z ]+ \(\S.*\)$/m, args.join(' '));
    };
    const before = await currentRelease(ctx, project, 'dev');
    await fails(['release', 'current', '--project', project, '--env', 'prod'], /404 Not Found \(no current release\)/);
    // An env that never had a release lists none.
    assert.deepEqual(
      JSON.parse(await stkOk(ctx, ['release', 'list', '--project', project, '--env', 'prod', '--json'])),
      [],
    );
    for (const limit of ['0', '101'])
      await fails(['release', 'list', '--project', project, '--env', 'dev', '--limit', limit], /400 Bad Request/);
    // `limit` is a whole number from 1 to 100: text that is not one is refused like 0 and 101.
    const token = await ctx.operatorToken();
    for (const limit of ['5x', 'x5', '1.5'])
      expectError(
        await ctx.hub.get('/api/releases', { token, query: { project, env: 'dev', limit } }),
        400,
        'BAD_REQUEST',
      );
    await fails(
      ['release', 'promote', '--project', project, '--from', 'empty', '--to', 'prod'],
      /404 Not Found \(no current release\)/,
    );
    await fails(
      ['release', 'promote', '--project', project, '--from', 'dev', '--release-id', r1, '--to', 'prod'],
      /400 Bad Request/,
    );
    await fails(
      [
        'release',
        'promote',
        '--project',
        project,
        '--release-id',
        '00000000-0000-4000-8000-000000000000',
        '--to',
        'prod',
      ],
      /404 Not Found/,
    );
    await fails(['release', 'promote', '--project', project, '--release-id', foreign, '--to', 'prod'], /404 Not Found/);
    await fails(['release', 'promote', '--project', project, '--from', 'dev', '--to', 'nosuch'], /404 Not Found/);
    // Promote runs no DDL: a target whose database lacks the release's tables (or its connection) is refused.
    const bare = await addEnv(ctx, project, 'bare');
    await fails(
      ['release', 'promote', '--project', project, '--from', 'dev', '--to', 'bare'],
      /409 Conflict \(target database does not match the release on connection main: missing table users\)/,
    );
    // Point 4: every declared column, with its declared type. Here `name` is missing and `email` is no text.
    await ctx.db.query(bare.name, 'CREATE TABLE users (id text PRIMARY KEY, email bigint, created_at timestamp)');
    const mismatch = await ctx.stk(['release', 'promote', '--project', project, '--from', 'dev', '--to', 'bare']);
    expectExit(mismatch, 1);
    assert.match(mismatch.stderr, /409 Conflict \(target database does not match the release on connection main: /);
    assert.match(mismatch.stderr, /missing column users\.name/, 'the missing column is named');
    assert.match(mismatch.stderr, /type changed users\.email/, 'the column of another type is named');
    assert.doesNotMatch(mismatch.stderr, /users\.(id|created_at)\b/, 'columns that match are not listed');
    // The connection the schema uses is looked up by its name: one named otherwise does not stand in for it.
    const audit = ['--project', project, '--env', 'empty', '--name', 'audit', '--engine', 'postgres'];
    await stkOk(ctx, ['connections', 'set', ...audit, '--db-url', bare.serviceUrl]);
    await fails(
      ['release', 'promote', '--project', project, '--from', 'dev', '--to', 'empty'],
      /409 Conflict \(target database does not match the release on connection main: connection main does not exist in env empty\)/,
    );
    await fails(['release', 'current', '--project', project, '--env', 'bare'], /404 Not Found \(no current release\)/);
    await fails(
      ['release', 'rollback', '--project', project, '--env', 'dev', '--to-release-id', foreign],
      /404 Not Found/,
    );
    await fails(
      [
        'release',
        'rollback',
        '--project',
        project,
        '--env',
        'dev',
        '--to-release-id',
        '00000000-0000-4000-8000-000000000000',
      ],
      /404 Not Found/,
    );
    await fails(['release', 'show', '--project', project, '--release-id', foreign], /404 Not Found/);
    // errors.md: a missing required field is a 400 whose message names it.
    const noTarget = expectError(
      await ctx.hub.post('/api/releases/rollback', { project, env: 'dev' }, { token }),
      400,
      'BAD_REQUEST',
    );
    assert.match(noTarget.message, /release_id/);
    await fails(['release', 'current', '--project', project, '--env', 'prod'], /404 Not Found/);
    assert.equal(await currentRelease(ctx, project, 'dev'), before);

    const viewer = await projectOperator(ctx, project, 'viewer');
    await fails(
      ['release', 'promote', '--project', project, '--from', 'dev', '--to', 'prod'],
      /403 Forbidden \(insufficient role\)/,
      viewer.env,
    );
    await fails(
      ['release', 'rollback', '--project', project, '--env', 'dev', '--to-release-id', r1],
      /403 Forbidden \(insufficient role\)/,
      viewer.env,
    );
    expectExit(await ctx.stk(['release', 'list', '--project', project, '--env', 'dev'], { env: viewer.env }), 0);
    expectExit(await ctx.stk(['release', 'current', '--project', project, '--env', 'dev'], { env: viewer.env }), 0);
  },
);
