import assert from 'node:assert/strict';
import {
  bootstrapProject,
  createApiKey,
  defineScenario,
  expectUpdated,
  expectError,
  expectNoData,
  expectRow,
  expectRows,
} from '../kit/index.ts';
import type { BootstrappedProject, Credentials, HttpResponse, ScenarioContext } from '../kit/index.ts';

type Stored = {
  id: string;
  name: string | null;
  email: string | null;
  avatar_url: string | null;
  bio: string | null;
  c_ssn: string | null;
};

interface Keys extends BootstrappedProject {
  readonly admin: Credentials;
  readonly basic: Credentials;
  /** Id of the row the admin key inserted. */
  readonly id: string;
}

async function seeded(ctx: ScenarioContext): Promise<Keys> {
  const bootstrapped = await bootstrapProject(ctx, 'column_permissions');
  const { project, env } = bootstrapped;
  const [admin, basic] = await Promise.all([
    createApiKey(ctx, project, env, 'admin', 'admin'),
    createApiKey(ctx, project, env, 'basic', 'basic'),
  ]);
  const inserted = await ctx.bridge.call(
    'db/users/insert',
    { values: { email: 'test@col.com', name: 'Test User' } },
    { apiKey: admin },
  );
  return {
    ...bootstrapped,
    admin: { apiKey: admin },
    basic: { apiKey: basic },
    id: expectRow<{ id: string }>(inserted).id,
  };
}

async function stored(ctx: ScenarioContext, keys: Keys): Promise<Stored[]> {
  return ctx.db.query<Stored>(
    keys.database.name,
    'SELECT id, name, email, avatar_url, bio, c_ssn FROM users ORDER BY id',
  );
}

function refusedWrite(response: HttpResponse, column: string): void {
  assert.equal(expectError(response, 403, 'FORBIDDEN').message, `column '${column}' is not writable`);
  expectNoData(response);
}

/** A column list naming an undeclared column fails the apply; the release and its rules stay. */
async function refusedApply(ctx: ScenarioContext, keys: Keys): Promise<void> {
  const { project, env, basic } = keys;
  const current = async () =>
    /^Current release: (\S+)$/m.exec(
      (await ctx.stk(['release', 'current', '--project', project, '--env', env])).stdout,
    )?.[1];
  const release = await current();
  assert.ok(release, 'a current release exists');
  const applied = await ctx.stk(['apply', '--project', project, '--env', env, '--ref', 'unknown-column', '--json'], {
    cwd: ctx.fixture('column_permissions_unknown'),
  });
  assert.equal(applied.exitCode, 1, 'stk apply exits 1');
  assert.match(
    applied.stderr,
    /^Error: request failed: 422 Unprocessable Entity \(config\/permissions\.yaml: .*shoe_size/m,
  );
  assert.equal((JSON.parse(applied.stdout) as { error: { code: string } }).error.code, 'INVALID_PERMISSIONS');
  assert.equal(await current(), release, 'the current release is unchanged');
  assert.equal(expectRows(await ctx.bridge.call('db/users/select', {}, basic)).length, 1, 'the old rules still serve');
}

const BASIC_COLUMNS = ['avatar_url', 'bio', 'id', 'name'];

export const listedColumns = defineScenario(
  'SECURITY-005',
  'each role reads and writes exactly its listed columns',
  async (ctx) => {
    const keys = await seeded(ctx);
    const { admin, basic, id } = keys;
    const all = expectRows<Stored>(await ctx.bridge.call('db/users/select', {}, admin));
    assert.deepEqual(
      all,
      [{ id, name: 'Test User', email: 'test@col.com', avatar_url: null, bio: null, c_ssn: null }],
      'admin reads every column',
    );
    const read = expectRows(await ctx.bridge.call('db/users/select', {}, basic));
    assert.deepEqual(
      read.map((row) => Object.keys(row).sort()),
      [BASIC_COLUMNS],
      'basic reads its four columns',
    );

    const inserted = expectRow(
      await ctx.bridge.call('db/users/insert', { values: { name: 'Basic', bio: 'hi' } }, basic),
    );
    assert.deepEqual(Object.keys(inserted).sort(), BASIC_COLUMNS, "the insert answers with basic's readable columns");
    assert.deepEqual([inserted.name, inserted.bio, inserted.avatar_url], ['Basic', 'hi', null]);

    expectUpdated(await ctx.bridge.call('db/users/update', { where: { id }, data: { name: 'Renamed' } }, admin), 1);
    expectUpdated(await ctx.bridge.call('db/users/update', { where: { id }, data: { bio: 'new bio' } }, basic), 1);
    const rows = await stored(ctx, keys);
    assert.deepEqual(
      rows.find((row) => row.id === id),
      { id, name: 'Renamed', email: 'test@col.com', avatar_url: null, bio: 'new bio', c_ssn: null },
    );
    assert.deepEqual(
      rows.filter((row) => row.id !== id).map((row) => [row.id, row.name, row.bio, row.email]),
      [[inserted.id, 'Basic', 'hi', null]],
    );
  },
);

export const refusedWrites = defineScenario(
  'SECURITY-005',
  'writes outside the lists are refused whole and change nothing',
  async (ctx) => {
    const keys = await seeded(ctx);
    const { admin, basic, id, project, env } = keys;
    const before = await stored(ctx, keys);
    const insert = (values: unknown, as: Credentials) => ctx.bridge.call('db/users/insert', { values }, as);
    const update = (data: unknown, as: Credentials) => ctx.bridge.call('db/users/update', { where: { id }, data }, as);

    refusedWrite(await insert({ name: 'Basic2', email: 'basic@x.com' }, basic), 'email');
    refusedWrite(await insert({ name: 'Ssn', c_ssn: '123-45-6789' }, admin), 'c_ssn');
    refusedWrite(await update({ email: 'other@col.com' }, admin), 'email');
    refusedWrite(await update({ name: 'x', bio: 'y' }, basic), 'name');
    refusedWrite(await update({ email: 'e', avatar_url: 'a' }, basic), 'avatar_url');
    expectError(await insert({ name: 'N', shoe_size: 1 }, basic), 400, 'SCHEMA_VALIDATION_FAILED');
    refusedWrite(await insert({ name: 'N', email: 42 }, basic), 'email');

    const probe = await ctx.bridge.call('db/users/select', { where: { email: 'test@col.com' } }, basic);
    expectError(probe, 403, 'FORBIDDEN');
    expectNoData(probe);
    expectError(
      await ctx.bridge.call('db/users/update', { where: { email: 'test@col.com' }, data: { bio: 'b' } }, basic),
      403,
      'FORBIDDEN',
    );
    expectError(await ctx.bridge.call('db/users/delete', { where: { id } }, basic), 403, 'FORBIDDEN');
    expectError(
      await ctx.bridge.call('db/users/select', {}, { apiKey: await createApiKey(ctx, project, env, 'guest', 'guest') }),
      403,
      'FORBIDDEN',
    );
    assert.deepEqual(await stored(ctx, keys), before, 'no refused request wrote, changed or removed a row');

    await refusedApply(ctx, keys);
  },
);
