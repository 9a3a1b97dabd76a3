import assert from 'node:assert/strict';
import {
  bootstrapProject,
  createApiKey,
  defineScenario,
  expectAffected,
  expectError,
  expectNoData,
  expectRow,
  expectRows,
} from '../kit/index.ts';
import type { BootstrappedProject, Credentials, ScenarioContext } from '../kit/index.ts';

interface User {
  id: string;
  email: string;
  name: string | null;
  created_at: string;
}

interface Post {
  id: string;
  title: string;
  user_id: string | null;
  user?: Partial<User> | null;
}

interface ExpandProject extends BootstrappedProject {
  readonly admin: Credentials;
  readonly credentialsFor: (role: string) => Promise<Credentials>;
}

async function setup(ctx: ScenarioContext): Promise<ExpandProject> {
  const bootstrapped = await bootstrapProject(ctx, 'expand');
  const { project, env } = bootstrapped;
  const credentialsFor = async (role: string): Promise<Credentials> => ({
    apiKey: await createApiKey(ctx, project, env, role, role),
    project,
    env,
  });
  return { ...bootstrapped, admin: await credentialsFor('admin'), credentialsFor };
}

async function insertRow<Row>(
  ctx: ScenarioContext,
  admin: Credentials,
  table: string,
  values: Record<string, unknown>,
): Promise<Row> {
  return expectRow<Row>(await ctx.bridge.call(`db/${table}/insert`, { values }, admin));
}

export const expandAuthor = defineScenario('CRUD-003', 'expand nests the referenced row, or null', async (ctx) => {
  const { admin } = await setup(ctx);
  const ann = await insertRow<User>(ctx, admin, 'users', { email: 'ann@x.io', name: 'Ann' });
  const bob = await insertRow<User>(ctx, admin, 'users', { email: 'bob@x.io', name: 'Bob' });
  const post = await insertRow<Post>(ctx, admin, 'posts', { title: 'Hello', user_id: ann.id });
  const expanded = expectRows<Post>(
    await ctx.bridge.call('db/posts/select', { where: { id: post.id }, expand: ['user'] }, admin),
  );
  assert.equal(expanded.length, 1);
  assert.equal(expanded[0]?.title, 'Hello');
  assert.deepEqual(expanded[0]?.user, ann, 'the nested user is the author row');
  const plain = expectRows<Post>(await ctx.bridge.call('db/posts/select', { where: { id: post.id } }, admin));
  assert.deepEqual(plain, [{ id: post.id, title: 'Hello', user_id: ann.id }], 'without expand there is no user member');

  const orphan = await insertRow<Post>(ctx, admin, 'posts', { title: 'Nobody' });
  const second = await insertRow<Post>(ctx, admin, 'posts', { title: 'Second', user_id: bob.id });
  const third = await insertRow<Post>(ctx, admin, 'posts', { title: 'Third', user_id: ann.id });
  const withNull = expectRows<Post>(
    await ctx.bridge.call('db/posts/select', { where: { id: orphan.id }, expand: ['user'] }, admin),
  );
  assert.deepEqual(withNull, [{ id: orphan.id, title: 'Nobody', user_id: null, user: null }]);

  const all = expectRows<Post>(await ctx.bridge.call('db/posts/select', { expand: ['user'] }, admin));
  const authorOf = Object.fromEntries(all.map((row) => [row.id, row.user === null ? null : row.user?.email]));
  assert.deepEqual(authorOf, {
    [post.id]: 'ann@x.io',
    [orphan.id]: null,
    [second.id]: 'bob@x.io',
    [third.id]: 'ann@x.io',
  });
  for (const row of all)
    assert.equal(row.user?.id ?? null, row.user_id, 'each post carries the user its user_id names');
  const narrowed = expectRows<Post>(
    await ctx.bridge.call('db/posts/select', { where: { id: post.id }, columns: ['title'], expand: ['user'] }, admin),
  );
  assert.deepEqual(narrowed, [{ title: 'Hello', user: ann }], 'the relation is added whatever the column list says');
});

export const expandUnderRules = defineScenario(
  'CRUD-003',
  "expanded rows follow the caller's select rule on the related table",
  async (ctx) => {
    const { admin, credentialsFor } = await setup(ctx);
    const author = await credentialsFor('author');
    const postonly = await credentialsFor('postonly');
    const ann = await insertRow<User>(ctx, admin, 'users', { email: 'ann@x.io', name: 'Ann' });
    const post = await insertRow<Post>(ctx, admin, 'posts', { title: 'Hello', user_id: ann.id });

    const seen = expectRows<Post>(
      await ctx.bridge.call('db/posts/select', { where: { id: post.id }, expand: ['user'] }, author),
    );
    assert.equal(seen.length, 1);
    assert.deepEqual(seen[0]?.user, { id: ann.id, name: 'Ann' }, 'the author rule reads only id and name of users');

    const refused = await ctx.bridge.call('db/posts/select', { expand: ['user'] }, postonly);
    expectError(refused, 403, 'FORBIDDEN');
    expectNoData(refused);
    assert.deepEqual(
      expectRows<Post>(await ctx.bridge.call('db/posts/select', {}, postonly)).map((row) => row.id),
      [post.id],
    );
    expectError(
      await ctx.bridge.call('db/posts/select', { expand: ['user'] }, { project: admin.project, env: admin.env }),
      401,
      'UNAUTHORIZED',
    );
    expectError(
      await ctx.bridge.call('db/posts/select', {}, { project: admin.project, env: admin.env }),
      401,
      'UNAUTHORIZED',
    );
  },
);

export const expandRefusals = defineScenario(
  'CRUD-003',
  'bad expand requests and dangling references are refused',
  async (ctx) => {
    const { admin, database } = await setup(ctx);
    const select = (expand: unknown) => ctx.bridge.call('db/posts/select', { expand }, admin);
    const unknown = await select(['invalid_relation']);
    assert.equal(expectError(unknown, 400, 'BAD_REQUEST').message, 'unknown expand relation: invalid_relation');
    expectNoData(unknown);
    expectError(await select('user'), 400, 'BAD_REQUEST');
    expectError(await select([1]), 400, 'BAD_REQUEST');
    expectError(await select(['user.posts']), 400, 'BAD_REQUEST');
    expectError(await select(['user_id']), 400, 'BAD_REQUEST');
    expectError(await ctx.bridge.call('db/users/select', { expand: ['user'] }, admin), 400, 'BAD_REQUEST');

    const dangling = await ctx.bridge.call(
      'db/posts/insert',
      { values: { title: 'Ghost', user_id: '01HZZZZZZZZZZZZZZZZZZZZZZZ' } },
      admin,
    );
    const error = expectError(dangling, 400, 'BAD_REQUEST');
    assert.ok(!/insert into|returning|values\s*\(/i.test(error.message), `no SQL text: ${error.message}`);
    assert.ok(!dangling.text.includes('01HZZZZZZZZZZZZZZZZZZZZZZZ'), 'the bound value is not echoed');
    assert.deepEqual(
      await ctx.db.query(database.name, 'SELECT count(*)::int AS n FROM posts'),
      [{ n: 0 }],
      'no post written',
    );
  },
);

export const cascadeDelete = defineScenario(
  'CRUD-003',
  'the reference is a foreign key and deleting a user removes its posts',
  async (ctx) => {
    const { admin, database } = await setup(ctx);
    const foreignKeys = await ctx.db.query(
      database.name,
      `
    SELECT src.relname AS from_table, a.attname AS from_column, dst.relname AS to_table, c.confdeltype AS on_delete
    FROM pg_constraint c
    JOIN pg_class src ON src.oid = c.conrelid
    JOIN pg_class dst ON dst.oid = c.confrelid
    JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = ANY(c.conkey)
    WHERE c.contype = 'f'`,
    );
    assert.deepEqual(foreignKeys, [{ from_table: 'posts', from_column: 'user_id', to_table: 'users', on_delete: 'c' }]);

    const ann = await insertRow<User>(ctx, admin, 'users', { email: 'ann@x.io' });
    const bob = await insertRow<User>(ctx, admin, 'users', { email: 'bob@x.io' });
    for (const [title, user] of [
      ['a1', ann],
      ['a2', ann],
      ['b1', bob],
    ] as const)
      await insertRow(ctx, admin, 'posts', { title, user_id: user.id });
    expectAffected(await ctx.bridge.call('db/users/delete', { where: { id: ann.id } }, admin), 1);
    const left = await ctx.db.query(database.name, 'SELECT title, user_id FROM posts ORDER BY title');
    assert.deepEqual(left, [{ title: 'b1', user_id: bob.id }], "ann's posts went with her");
  },
);
