import assert from 'node:assert/strict';
import {
  appliedReleaseId,
  adminCaller,
  applyFolder,
  bootstrapProject,
  currentRelease,
  defineScenario,
  expectExit,
  expectRows,
  expectStatus,
  projectOperator,
  readProjectFolder,
} from '../kit/index.ts';
import type { ScenarioContext } from '../kit/index.ts';

type Db = { readonly name: string };

const apply = (ctx: ScenarioContext, project: string, fixture: string, ref: string, ...extra: string[]) =>
  ctx.stk(['apply', '--project', project, '--env', 'dev', '--ref', ref, ...extra], { cwd: ctx.fixture(fixture) });

async function columns(ctx: ScenarioContext, db: Db, table: string): Promise<string[]> {
  const rows = await ctx.db.query<{ column_name: string }>(
    db.name,
    `SELECT column_name FROM information_schema.columns WHERE table_schema = 'public' AND table_name = $1 ORDER BY column_name`,
    [table],
  );
  return rows.map((row) => row.column_name);
}

async function tables(ctx: ScenarioContext, db: Db): Promise<string[]> {
  const rows = await ctx.db.query<{ table_name: string }>(
    db.name,
    `SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' ORDER BY table_name`,
  );
  return rows.map((row) => row.table_name);
}

async function releaseCount(ctx: ScenarioContext, project: string): Promise<number> {
  const list = await ctx.stk(['release', 'list', '--project', project, '--env', 'dev', '--limit', '100']);
  expectExit(list, 0);
  return list.stdout.trim().split('\n').filter(Boolean).length;
}

export const additiveAndIdempotent = defineScenario(
  'OPERATOR-003',
  'additive applies change the database, dry runs change nothing, identical applies reuse the release',
  async (ctx) => {
    const { project, database } = await bootstrapProject(ctx, 'basic', { prefix: 'applyschema', ref: 'v1' });
    const constraints = await ctx.db.query<{ column_name: string; is_nullable: string; column_default: string | null }>(
      database.name,
      `SELECT column_name, is_nullable, column_default FROM information_schema.columns WHERE table_name = 'users' ORDER BY column_name`,
    );
    const byName = Object.fromEntries(constraints.map((row) => [row.column_name, row]));
    assert.equal(byName.email?.is_nullable, 'NO');
    assert.ok(byName.created_at?.column_default, 'created_at has a default');
    const indexes = (
      await ctx.db.query<{ indexdef: string }>(
        database.name,
        `SELECT indexdef FROM pg_indexes WHERE tablename = 'users'`,
      )
    ).map((row) => row.indexdef);
    assert.ok(
      indexes.some((index) => /UNIQUE INDEX .*\(email\)/.test(index)),
      `a unique index on email: ${indexes.join('; ')}`,
    );
    assert.ok(
      indexes.some((index) => /UNIQUE INDEX .*pkey.*\(id\)/.test(index)),
      'id is the primary key',
    );
    const v1 = await currentRelease(ctx, project, 'dev');
    const admin = await adminCaller(ctx, { project, env: 'dev' });
    expectStatus(await ctx.bridge.call('db/users/insert', { values: { email: 'before@example.com' } }, admin), 200);

    const releases = await releaseCount(ctx, project);
    const dry = await apply(ctx, project, 'schema_v2', 'v2', '--dry-run');
    expectExit(dry, 0);
    assert.match(dry.stdout, /^ddl \[main\] /m);
    assert.match(dry.stdout, /^dry run: no changes applied$/m);
    const dryJson = JSON.parse((await apply(ctx, project, 'schema_v2', 'v2', '--dry-run', '--json')).stdout) as {
      release_id: unknown;
      dry_run: unknown;
      plan: Record<string, unknown>[];
    };
    assert.equal(dryJson.release_id, null);
    assert.equal(dryJson.dry_run, true);
    assert.ok(
      dryJson.plan.some(
        (item) =>
          item.action === 'add_column' &&
          item.table === 'users' &&
          item.column === 'nickname' &&
          item.destructive === false,
      ),
      JSON.stringify(dryJson.plan),
    );
    assert.ok(!(await columns(ctx, database, 'users')).includes('nickname'), 'the dry run added nothing');
    assert.equal(await currentRelease(ctx, project, 'dev'), v1);
    assert.equal(await releaseCount(ctx, project), releases);

    const v2 = await apply(ctx, project, 'schema_v2', 'v2');
    expectExit(v2, 0);
    assert.match(v2.stdout, /^ddl \[main\] .*nickname/m);
    assert.match(v2.stdout, /^ddl \[main\] .*tags/m);
    const v2Id = appliedReleaseId(v2.stdout);
    assert.notEqual(v2Id, v1, 'a new release');
    // A /call that depends on the new column answers 200 right after the apply.
    const withNickname = expectRows<{ email: string; nickname: unknown }>(
      await ctx.bridge.call('db/users/select', { columns: ['email', 'nickname'] }, admin),
    );
    assert.deepEqual(withNickname, [{ email: 'before@example.com', nickname: null }]);
    assert.deepEqual(await ctx.db.query(database.name, `SELECT email, nickname FROM users`), [
      { email: 'before@example.com', nickname: null },
    ]);
    const fks = await ctx.db.query<{ table_name: string }>(
      database.name,
      `SELECT tc.table_name FROM information_schema.table_constraints tc WHERE tc.constraint_type = 'FOREIGN KEY' AND tc.table_name = 'tags'`,
    );
    assert.equal(fks.length, 1, 'tags.user_id is a foreign key');

    const grown = await releaseCount(ctx, project);
    const again = await apply(ctx, project, 'schema_v2', 'v2');
    expectExit(again, 0);
    assert.equal(appliedReleaseId(again.stdout), v2Id);
    assert.match(again.stdout, /^reused: true$/m);
    assert.doesNotMatch(again.stdout, /^ddl /m);
    assert.equal(await releaseCount(ctx, project), grown);
    const renamed = await apply(ctx, project, 'schema_v2', 'v2b');
    assert.notEqual(appliedReleaseId(renamed.stdout), v2Id);
    assert.match(renamed.stdout, /^reused: false$/m);
    await reuseNeedsSameContent(ctx, project, v2Id);
    await numberListsAreContent(ctx, project);
  },
);

/**
 * Point 6: a release is reused only for the same ref and the same parsed content. Under ref v2 again, permissions
 * that differ in one list entry, in one string, or by one more entry are new content; the same permissions with
 * their mapping keys in another order (YAML mappings have no order) are the same content.
 */
async function reuseNeedsSameContent(ctx: ScenarioContext, project: string, v2Id: string): Promise<void> {
  const dir = ctx.fixture('schema_v2');
  const base = readProjectFolder(dir).permissions ?? '';
  const select = 'select: { roles: [admin, reader] }';
  assert.ok(base.includes(select), 'schema_v2 permissions hold the select rule this check edits');
  const applyV2 = (permissions: string) => applyFolder(ctx, { project, env: 'dev', ref: 'v2', dir }, { permissions });
  for (const [what, edit] of [
    ['another role name', 'select: { roles: [admin, viewer] }'],
    ['one more role', 'select: { roles: [admin, reader, auditor] }'],
    ['a condition added', 'select: { roles: [admin, reader], condition: \'resource.email == "x"\' }'],
  ] as const) {
    const changed = await applyV2(base.replace(select, edit));
    assert.deepEqual([changed.reused, changed.release_id === v2Id], [false, false], `${what}: a new release`);
  }
  const reordered = base.replace(`    ${select}\n`, '').replace('    delete:', `    ${select}\n    delete:`);
  assert.notEqual(reordered, base, 'the select rule moved');
  const same = await applyV2(reordered);
  assert.deepEqual([same.reused, same.release_id], [true, v2Id], 'the same rules in another key order: reused');
  // Identical applies sent at once still make one release: each answers it, and only one made it.
  const edited = base.replace(select, 'select: { roles: [admin, reader, auditor, clerk] }');
  const answers = await Promise.all(
    Array.from({ length: 4 }, () =>
      applyFolder(ctx, { project, env: 'dev', ref: 'v2c', dir }, { permissions: edited }),
    ),
  );
  assert.equal(
    new Set(answers.map((answer) => answer.release_id)).size,
    1,
    'concurrent identical applies: one release',
  );
  assert.equal(typeof answers[0]?.release_id, 'string', 'each answer names the release');
  assert.deepEqual(
    answers.map((answer) => answer.reused).sort(),
    [false, true, true, true],
    'one apply made the release, the others reused it',
  );
}

/** Lists of numbers are content too: a default of [1, 23] is not one of [12, 3] (nor their digits run together). */
async function numberListsAreContent(ctx: ScenarioContext, project: string): Promise<void> {
  const dir = ctx.fixture('schema_v2');
  const schema = readProjectFolder(dir).schema;
  const withDefault = (list: string) =>
    schema.map((text) =>
      text.replace(
        '      label: { type: string, nullable: false }\n',
        `      label: { type: string, nullable: false }\n      lucky: { type: array, items: int, nullable: true, default: ${list} }\n`,
      ),
    );
  assert.ok(withDefault('[1, 23]').join('').includes('lucky'), 'schema_v2 has the tags table this check extends');
  const numbers = { project, env: 'dev', ref: 'v2n', dir };
  const first = await applyFolder(ctx, numbers, { schema: withDefault('[1, 23]') });
  const second = await applyFolder(ctx, numbers, { schema: withDefault('[12, 3]') });
  assert.deepEqual(
    [second.reused, second.release_id === first.release_id],
    [false, false],
    'another list of numbers: a new release',
  );
}

export const destructiveNeedsForce = defineScenario(
  'OPERATOR-003',
  'destructive changes need --force; --only schema creates no release',
  async (ctx) => {
    const { project, database } = await bootstrapProject(ctx, 'schema_v2', { prefix: 'applyschema', ref: 'v2' });
    const v2 = await currentRelease(ctx, project, 'dev');
    const refused = await apply(ctx, project, 'schema_v3', 'v3');
    expectExit(refused, 1);
    assert.match(refused.stderr, /409 Conflict \(destructive changes require force: drop column users\.name\)/);
    const refusedJson = JSON.parse((await apply(ctx, project, 'schema_v3', 'v3', '--json')).stdout) as {
      error: { details: { operations: string[] } };
    };
    assert.deepEqual(refusedJson.error.details.operations, ['drop column users.name']);
    assert.ok((await columns(ctx, database, 'users')).includes('name'));
    assert.equal(await currentRelease(ctx, project, 'dev'), v2);

    const forced = await apply(ctx, project, 'schema_v3', 'v3', '--force');
    expectExit(forced, 0);
    assert.ok(!(await columns(ctx, database, 'users')).includes('name'), 'name dropped');
    const v3 = await currentRelease(ctx, project, 'dev');
    assert.notEqual(v3, v2);

    const schemaOnly = await apply(ctx, project, 'schema_v4', 'v4', '--only', 'schema');
    expectExit(schemaOnly, 0);
    assert.match(schemaOnly.stdout, /^ddl \[main\] .*bio/m);
    assert.match(schemaOnly.stdout, /^no release created$/m);
    assert.ok((await columns(ctx, database, 'users')).includes('bio'));
    assert.equal(await currentRelease(ctx, project, 'dev'), v3);
  },
);

export const invalidSchemas = defineScenario(
  'OPERATOR-003',
  'invalid schemas, type changes, failing constraints and viewers are refused without a trace',
  async (ctx) => {
    const { project, database } = await bootstrapProject(ctx, 'basic', { prefix: 'applyschema', ref: 'v1' });
    const release = await currentRelease(ctx, project, 'dev');
    const before = await tables(ctx, database);
    const invalid = [
      ['schema_bad_type', 'schema/users.yaml'],
      ['schema_bad_array', 'schema/users.yaml'],
      ['schema_bad_ref', 'schema/users.yaml'],
      ['schema_dup_table', 'schema/b.yaml'],
      ['schema_bad_yaml', 'schema/users.yaml'],
      ['schema_bad_name', 'schema/users.yaml'],
      ['schema_type_change', 'schema/users.yaml'],
    ] as const;
    for (const [fixture, file] of invalid) {
      for (const force of fixture === 'schema_type_change' ? [[], ['--force']] : [[]]) {
        const result = await apply(ctx, project, fixture, fixture, '--json', ...force);
        expectExit(result, 1);
        const error = (
          JSON.parse(result.stdout) as {
            error: { code: string; message: string; details?: { file?: string; path?: string } };
          }
        ).error;
        assert.equal(error.code, 'SCHEMA_VALIDATION_FAILED', `${fixture}: ${result.stdout}`);
        assert.ok(
          error.details?.file === file || error.message.includes(file),
          `${fixture} names ${file}: ${result.stdout}`,
        );
        if (fixture === 'schema_bad_type') assert.match(error.details?.path ?? '', /\.type$/);
        if (fixture === 'schema_type_change') assert.match(error.message, /type change not supported: users\.email/);
      }
    }
    assert.deepEqual(await tables(ctx, database), before, 'every table is intact, none added');
    assert.equal(await currentRelease(ctx, project, 'dev'), release);

    const admin = await adminCaller(ctx, { project, env: 'dev' });
    expectStatus(await ctx.bridge.call('db/users/insert', { values: { email: 'nameless@example.com' } }, admin), 200);
    const notNull = await apply(ctx, project, 'schema_not_null', 'nn', '--force');
    expectExit(notNull, 1);
    assert.match(notNull.stderr, /400 Bad Request/);
    assert.deepEqual(await tables(ctx, database), before, 'the table added in the same apply does not exist');
    assert.equal(await currentRelease(ctx, project, 'dev'), release);

    const viewer = await projectOperator(ctx, project, 'viewer');
    const denied = await ctx.stk(['apply', '--project', project, '--env', 'dev', '--ref', 'v9'], {
      cwd: ctx.fixture('schema_v2'),
      env: viewer.env,
    });
    expectExit(denied, 1);
    assert.match(denied.stderr, /403 Forbidden \(insufficient role\)/);
    const missing = await ctx.stk(['apply', '--project', ctx.uniqueName('nosuch'), '--env', 'dev', '--ref', 'v1'], {
      cwd: ctx.fixture('basic'),
    });
    expectExit(missing, 1);
    assert.match(missing.stderr, /404 Not Found/);
  },
);
