/** `POST /api/apply`: DDL against a real database, destructive gate, dry run, idempotency, steps, validation. */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import {
  createProject,
  expectError,
  expectOk,
  items,
  PERMISSIONS_V1,
  sql,
  startHub,
  USERS_V1,
  type Hub,
  type Loose,
} from '../test-kit.ts';

let hub: Hub;

const USERS_V2 = {
  file: 'schema/users.yaml',
  content: `${USERS_V1.content}      nickname: { type: string, nullable: true }
  tags:
    id: { generate: auto_increment }
    columns:
      label: { type: string, default: "it's new" }
      user_id: { type: string, nullable: true, references: { table: users, as: user, onDelete: cascade } }
      weights: { type: array, items: float, nullable: true }
`,
};
const USERS_V3 = {
  file: USERS_V2.file,
  content: USERS_V2.content.replace('      name: { type: string, nullable: true }\n', ''),
};

function apply(project: string, ref: string, extra: Record<string, unknown> = {}, env = 'dev') {
  return hub.call(
    'POST',
    '/api/apply',
    { project, env, ref, schema: [USERS_V1], permissions: PERMISSIONS_V1, ...extra },
    { token: hub.owner },
  );
}

async function columns(
  url: string,
  table: string,
): Promise<Record<string, { type: string; nullable: boolean; default: string | null }>> {
  const rows = await sql<{
    column_name: string;
    data_type: string;
    is_nullable: string;
    column_default: string | null;
  }>(
    url,
    `SELECT column_name, data_type, is_nullable, column_default FROM information_schema.columns WHERE table_schema = 'public' AND table_name = $1`,
    [table],
  );
  return Object.fromEntries(
    rows.map((row) => [
      row.column_name,
      { type: row.data_type, nullable: row.is_nullable === 'YES', default: row.column_default },
    ]),
  );
}

const current = async (project: string, env = 'dev') =>
  (await hub.call('GET', `/api/releases/current?project=${project}&env=${env}`, undefined, { token: hub.owner })).json
    ?.id;

describe('apply', () => {
  before(async () => {
    hub = await startHub();
  });
  after(() => hub.close());

  test('v1 creates tables with primary key, NOT NULL, UNIQUE and defaults, then re-applying is idempotent', async () => {
    const { project, urls } = await createProject(hub);
    const first = expectOk(await apply(project, 'v1'));
    assert.match(String(first.release_id), /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    assert.deepEqual([first.reused, first.dry_run], [false, false]);
    assert.deepEqual(
      (first.plan as unknown as Loose[]).map((item) => item.action),
      ['create_table'],
    );
    const users = await columns(urls.dev ?? '', 'users');
    assert.deepEqual(users.email, { type: 'text', nullable: false, default: null });
    assert.equal(users.name?.nullable, true);
    assert.match(users.created_at?.default ?? '', /now\(\)/);
    const indexes = await sql<{ indexdef: string }>(
      urls.dev ?? '',
      `SELECT indexdef FROM pg_indexes WHERE tablename = 'users'`,
    );
    assert.ok(indexes.some((row) => /UNIQUE INDEX .* \(email\)/.test(row.indexdef)));
    assert.ok(indexes.some((row) => /users_pkey .* \(id\)/.test(row.indexdef)));
    const again = expectOk(await apply(project, 'v1'));
    assert.deepEqual([again.release_id, again.reused, again.plan], [first.release_id, true, []]);
    const reordered = expectOk(
      await apply(project, 'v1', {
        permissions: `tables:\n  users:\n    insert: { roles: [admin] }\n    select: { roles: [admin, reader] }\n`,
      }),
    );
    assert.equal(reordered.release_id, first.release_id, 'same parsed content, same release');
    const newRef = expectOk(await apply(project, 'v1b'));
    assert.notEqual(newRef.release_id, first.release_id);
    assert.equal(newRef.reused, false);
    assert.equal(
      items(await hub.call('GET', `/api/releases?project=${project}&env=dev`, undefined, { token: hub.owner })).length,
      2,
    );
  });

  test('v2 adds a column and a table with a foreign key; dry run first changes nothing', async () => {
    const { project, urls } = await createProject(hub);
    const v1 = expectOk(await apply(project, 'v1'));
    await sql(urls.dev ?? '', `INSERT INTO users (id, email) VALUES ('u1', 'a@b.c')`);
    const dry = expectOk(await apply(project, 'v2', { schema: [USERS_V2], dry_run: true }));
    assert.deepEqual([dry.release_id, dry.reused, dry.dry_run], [null, false, true]);
    const plan = dry.plan as unknown as Loose[];
    assert.deepEqual(
      plan.find((item) => String(item.action) === 'add_column'),
      {
        connection: 'main',
        action: 'add_column',
        table: 'users',
        column: 'nickname',
        destructive: false,
        sql: 'ALTER TABLE "users" ADD COLUMN "nickname" text',
      },
    );
    assert.ok(plan.some((item) => String(item.action) === 'create_table' && String(item.table) === 'tags'));
    assert.equal((await columns(urls.dev ?? '', 'users')).nickname, undefined, 'dry run ran no DDL');
    assert.equal(await current(project), v1.release_id);
    const v2 = expectOk(await apply(project, 'v2', { schema: [USERS_V2] }));
    assert.notEqual(v2.release_id, v1.release_id);
    assert.equal(await current(project), v2.release_id);
    assert.deepEqual(await sql(urls.dev ?? '', `SELECT id, nickname FROM users`), [{ id: 'u1', nickname: null }]);
    const fks = await sql<{ def: string }>(
      urls.dev ?? '',
      `SELECT pg_get_constraintdef(oid) AS def FROM pg_constraint WHERE contype = 'f' AND conrelid = 'tags'::regclass`,
    );
    assert.deepEqual(
      fks.map((row) => row.def),
      ['FOREIGN KEY (user_id) REFERENCES users(id) ON DELETE CASCADE'],
    );
    const tags = await columns(urls.dev ?? '', 'tags');
    assert.equal(tags.id?.type, 'bigint');
    assert.equal(tags.weights?.type, 'ARRAY');
    await sql(urls.dev ?? '', `INSERT INTO tags (user_id) VALUES ('u1')`);
    assert.deepEqual(
      await sql(urls.dev ?? '', `SELECT label FROM tags`),
      [{ label: "it's new" }],
      'quoted default kept literally',
    );
  });

  test('destructive changes need force and name every operation; type changes never pass', async () => {
    const { project, urls } = await createProject(hub);
    expectOk(await apply(project, 'v2', { schema: [USERS_V2] }));
    const before = await current(project);
    const refused = await apply(project, 'v3', { schema: [USERS_V3] });
    expectError(refused, 409, 'CONFLICT', /^destructive changes require force: drop column users\.name$/);
    assert.deepEqual(refused.json?.error?.details, { operations: ['drop column users.name'] });
    assert.ok((await columns(urls.dev ?? '', 'users')).name, 'column kept');
    assert.equal(await current(project), before);
    const forced = expectOk(await apply(project, 'v3', { schema: [USERS_V3], force: true }));
    assert.equal((await columns(urls.dev ?? '', 'users')).name, undefined);
    assert.equal(await current(project), forced.release_id);
    const retyped = {
      file: 'schema/users.yaml',
      content: USERS_V3.content.replace('email: { type: string', 'email: { type: int'),
    };
    const typeChange = await apply(project, 'v4', { schema: [retyped], force: true });
    expectError(typeChange, 400, 'SCHEMA_VALIDATION_FAILED', /^type change not supported: users\.email$/);
    assert.deepEqual(typeChange.json?.error?.details, {
      file: 'schema/users.yaml',
      path: 'tables.users.columns.email.type',
    });
    const dropTable = await apply(project, 'v5', { schema: [USERS_V1], permissions: null });
    expectError(dropTable, 409, 'CONFLICT', /drop table tags/);
  });

  test('constraint changes: set not null and add unique are destructive; a failing statement rolls back the whole plan', async () => {
    const { project, urls } = await createProject(hub);
    expectOk(await apply(project, 'v1'));
    await sql(urls.dev ?? '', `INSERT INTO users (id, email) VALUES ('u1', 'a@b.c'), ('u2', 'd@e.f')`);
    const strict = USERS_V1.content.replace(
      'name: { type: string, nullable: true }',
      'name: { type: string, unique: true }',
    );
    const withTable = `${strict}  extra:\n    columns: {}\n`;
    const refused = await apply(project, 'v2', { schema: [{ file: 'schema/users.yaml', content: withTable }] });
    assert.deepEqual(refused.json?.error?.details, {
      operations: ['set not null users.name', 'add unique users.name'],
    });
    const failed = await apply(project, 'v2', {
      schema: [{ file: 'schema/users.yaml', content: withTable }],
      force: true,
    });
    expectError(
      failed,
      400,
      'BAD_REQUEST',
      /^schema change failed on connection main: existing rows violate a constraint$/,
    );
    assert.deepEqual(
      await sql(urls.dev ?? '', `SELECT to_regclass('extra') AS t`),
      [{ t: null }],
      'the table of the same plan was rolled back',
    );
    const relaxed = USERS_V1.content.replace(
      'email: { type: string, unique: true }',
      'email: { type: string, nullable: true }',
    );
    const loosened = expectOk(
      await apply(project, 'v3', { schema: [{ file: 'schema/users.yaml', content: relaxed }] }),
    );
    assert.deepEqual((loosened.plan as unknown as Loose[]).map((item) => item.action).sort(), [
      'drop_not_null',
      'drop_unique',
    ]);
    await sql(urls.dev ?? '', `INSERT INTO users (id, email) VALUES ('u3', 'a@b.c'), ('u4', NULL)`);
  });

  test('steps: --only schema creates no release; --only permissions,release runs no DDL', async () => {
    const { project, urls } = await createProject(hub);
    const v1 = expectOk(await apply(project, 'v1'));
    const schemaOnly = expectOk(await apply(project, 'v2', { schema: [USERS_V2], only: ['schema'] }));
    assert.equal(schemaOnly.release_id, null);
    assert.ok((await columns(urls.dev ?? '', 'users')).nickname, 'DDL ran');
    assert.equal(await current(project), v1.release_id);
    const { project: other, urls: otherUrls } = await createProject(hub);
    expectOk(await apply(other, 'v1'));
    const release = expectOk(await apply(other, 'v2', { schema: [USERS_V2], only: 'permissions,release' }));
    assert.equal(release.reused, false);
    assert.equal((await columns(otherUrls.dev ?? '', 'tags')).id, undefined, 'no DDL');
    expectError(await apply(other, 'v3', { only: ['deploy'] }), 400, 'BAD_REQUEST');
  });

  test('validation failures name file and path and change nothing', async () => {
    const { project, urls } = await createProject(hub);
    const schema = (content: string, file = 'schema/users.yaml') => ({ schema: [{ file, content }] });
    const cases: [Record<string, unknown>, string, string][] = [
      [
        schema('tables:\n  users:\n    columns:\n      age: { type: uuidish }\n'),
        'schema/users.yaml',
        'tables.users.columns.age.type',
      ],
      [
        schema('tables:\n  users:\n    columns:\n      tags: { type: array }\n'),
        'schema/users.yaml',
        'tables.users.columns.tags.items',
      ],
      [
        schema('tables:\n  posts:\n    columns:\n      owner: { type: string, references: { table: ghosts } }\n'),
        'schema/users.yaml',
        'tables.posts.columns.owner.references.table',
      ],
      [schema('tables: [unclosed', 'schema/broken.yaml'), 'schema/broken.yaml', '(document)'],
      [schema('tables:\n  users:\n    id: { generate: sequence }\n'), 'schema/users.yaml', 'tables.users.id.generate'],
      [
        schema('tables:\n  users:\n    columns:\n      id: { type: string }\n'),
        'schema/users.yaml',
        'tables.users.columns.id',
      ],
      [
        schema('tables:\n  users:\n    columns:\n      n: { type: int, default: "ten" }\n'),
        'schema/users.yaml',
        'tables.users.columns.n.default',
      ],
      [
        schema('tables:\n  users:\n    connection: replica\n    columns: {}\n'),
        'schema/users.yaml',
        'tables.users.connection',
      ],
      [
        { schema: [USERS_V1, { file: 'schema/again.yaml', content: USERS_V1.content }] },
        'schema/again.yaml',
        'tables.users',
      ],
      [{ schema: ['tables:\n  Users: {}\n'] }, 'schema[0]', 'tables.Users'],
      [
        { permissions: 'tables:\n  ghosts:\n    select: { roles: [admin] }\n' },
        'config/permissions.yaml',
        'tables.ghosts',
      ],
      [
        { permissions: 'tables:\n  users:\n    select: { roles: [admin], columns: [id, shoe_size] }\n' },
        'config/permissions.yaml',
        'tables.users.select.columns',
      ],
      [
        { permissions: 'tables:\n  users:\n    upsert: { roles: [admin] }\n' },
        'config/permissions.yaml',
        'tables.users.upsert',
      ],
      [
        { permissions: 'tables:\n  users:\n    select: { roles: [admin], columns: ["*", email] }\n' },
        'config/permissions.yaml',
        'tables.users.select.columns',
      ],
      [
        { permissions: 'tables:\n  users:\n    select: { roles: [] }\n' },
        'config/permissions.yaml',
        'tables.users.select.roles',
      ],
      [
        { permissions: 'tables:\n  users:\n    select: [{ roles: [admin], when: x }]\n' },
        'config/permissions.yaml',
        'tables.users.select[0].when',
      ],
      [
        { permissions: 'tables:\n  users:\n    update: { roles: [a], condition: 5 }\n' },
        'config/permissions.yaml',
        'tables.users.update.condition',
      ],
      [{ logics: { whoami: '---\nauth: everyone\n---\nSELECT 1' } }, 'logics/whoami.sql', 'auth'],
      [{ logics: { 'Bad Name': 'SELECT 1' } }, 'logics/Bad Name.sql', '(name)'],
      [
        { logics: { items: '---\nparams:\n  n: { type: decimal }\n---\nSELECT :n' } },
        'logics/items.sql',
        'params.n.type',
      ],
      [
        { logics: { items: '---\nparams:\n  n: { type: int, default: "x" }\n---\nSELECT :n' } },
        'logics/items.sql',
        'params.n.default',
      ],
      [{ logics: { items: '---\nparams:\n  n: { type: int }\n---\nSELECT :n, :m' } }, 'logics/items.sql', '(sql)'],
      [{ logics: { items: '---\ncondition: 5\n---\nSELECT 1' } }, 'logics/items.sql', 'condition'],
      [{ logics: { items: '---\nroles: admin: x\n---\nSELECT 1' } }, 'logics/items.sql', '(front-matter)'],
    ];
    for (const [extra, file, path] of cases) {
      const reply = await apply(project, 'bad', extra);
      // OPERATOR-004: a permissions document apply refuses is 422; schema and logic files are 400.
      if (file === 'config/permissions.yaml') expectError(reply, 422, 'INVALID_PERMISSIONS');
      else expectError(reply, 400, 'SCHEMA_VALIDATION_FAILED');
      assert.deepEqual(reply.json?.error?.details, { file, path }, reply.text);
      assert.ok(String(reply.json?.error?.message).startsWith(`${file}: ${path}: `), reply.text);
    }
    const tables = await sql(
      urls.dev ?? '',
      `SELECT table_name FROM information_schema.tables WHERE table_schema = 'public'`,
    );
    assert.deepEqual(tables, [], 'no DDL ran');
    expectError(
      await hub.call('GET', `/api/releases/current?project=${project}&env=dev`, undefined, { token: hub.owner }),
      404,
      'NOT_FOUND',
    );
    const fine = {
      logics: {
        whoami:
          "---\nauth: authenticated\nparams:\n  n: { type: int, default: 3 }\n---\n-- :ignored in a comment\nSELECT :auth.sub AS sub, :n::int AS n, ':not' AS s",
      },
    };
    expectOk(await apply(project, 'good', fine));
    // Conditions are evaluated by the Bridge when called (LOGICS-008, SECURITY-003): apply takes them as written.
    const later = {
      logics: {
        malformed: '---\ncondition: request.params.owner_id = request.auth.sub\n---\nSELECT 1',
        guarded: '---\nauth:\n  roles: [admin]\n---\nSELECT 1',
      },
      permissions: 'tables:\n  users:\n    update: { roles: [a], condition: "resource.nosuch = \'x\'" }\n',
    };
    expectOk(await apply(project, 'later', later));
  });

  test('environment problems: no main connection is a schema error, an unreachable database a 400, unknown env a 404', async () => {
    const owner = { token: hub.owner };
    const project = hub.unique('bare');
    expectOk(await hub.call('POST', '/api/projects', { project }, owner));
    expectOk(await hub.call('POST', '/api/envs', { project, env: 'dev' }, owner));
    expectError(await apply(project, 'v1'), 400, 'SCHEMA_VALIDATION_FAILED', /connection 'main' does not exist/);
    const secret = 'hunter2-apply';
    expectOk(
      await hub.call(
        'POST',
        '/api/connections/set',
        { project, env: 'dev', name: 'main', engine: 'postgres', db_url: `postgres://u:${secret}@127.0.0.1:1/x` },
        owner,
      ),
    );
    const unreachable = await apply(project, 'v1');
    expectError(unreachable, 400, 'BAD_REQUEST', /^connection failed: main$/);
    assert.ok(!unreachable.text.includes(secret));
    expectError(await apply(project, 'v1', {}, 'nosuch'), 404, 'NOT_FOUND');
    expectError(await apply('nosuch', 'v1'), 404, 'NOT_FOUND');
    expectError(await hub.call('POST', '/api/apply', { project, env: 'dev' }, owner), 400, 'BAD_REQUEST', /'ref'/);
    expectError(await apply(project, 'x'.repeat(201)), 400, 'BAD_REQUEST');
  });
});
