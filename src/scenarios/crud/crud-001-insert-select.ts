import assert from 'node:assert/strict';
import {
  bootstrapProject,
  createApiKey,
  defineScenario,
  expectError,
  expectInvalidColumn,
  expectNoData,
  expectRow,
  expectRows,
  expectStatus,
} from '../kit/index.ts';
import type { Credentials, ScenarioContext } from '../kit/index.ts';

const ULID = /^[0-9A-HJKMNP-TV-Z]{26}$/;
const UUID_V4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
const UUID_V7 = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
const RFC3339_UTC = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

interface User {
  id: string;
  email: string;
  name: string | null;
  created_at: string;
}

/** A project from `fixture` and an API key with `role`, sent with the project's hints. */
async function adminOf(ctx: ScenarioContext, fixture: string, role = 'admin') {
  const bootstrapped = await bootstrapProject(ctx, fixture);
  const apiKey = await createApiKey(ctx, bootstrapped.project, bootstrapped.env, role);
  const admin: Credentials = { apiKey, project: bootstrapped.project, env: bootstrapped.env };
  return { ...bootstrapped, admin };
}

export const insertAndSelect = defineScenario(
  'CRUD-001',
  'insert returns the stored row and select reads it back',
  async (ctx) => {
    const { admin, database } = await adminOf(ctx, 'basic');
    const inserted = expectRow<User>(await ctx.bridge.call('db/users/insert', { values: { email: 'a@b.com' } }, admin));
    assert.match(inserted.id, ULID);
    assert.equal(inserted.email, 'a@b.com');
    assert.equal(inserted.name, null);
    assert.match(inserted.created_at, RFC3339_UTC);
    assert.ok(
      !Object.hasOwn(inserted, 'ids') && !Object.hasOwn(inserted, 'generated_id'),
      'no ids / generated_id member',
    );

    const selected = await ctx.bridge.call('db/users/select', { where: { email: 'a@b.com' } }, admin);
    assert.deepEqual(Object.keys(selected.json as object), ['data']);
    assert.deepEqual(expectRows(selected), [inserted]);
    const stored = await ctx.db.query(database.name, `SELECT id, email FROM users WHERE email = 'a@b.com'`);
    assert.deepEqual(stored, [{ id: inserted.id, email: 'a@b.com' }]);

    const aliased = expectRow<User>(
      await ctx.bridge.call('db/users/insert', { data: { email: 'alias@b.com', name: 'Al' } }, admin),
    );
    assert.match(aliased.id, ULID);
    assert.deepEqual([aliased.email, aliased.name], ['alias@b.com', 'Al']);
    assert.match(aliased.created_at, RFC3339_UTC);
    assert.equal(
      (await ctx.db.query(database.name, `SELECT id FROM users WHERE email = 'alias@b.com'`))[0]?.id,
      aliased.id,
    );

    const emails = expectRows(await ctx.bridge.call('db/users/select', { columns: ['email'] }, admin));
    assert.deepEqual(emails, [{ email: 'a@b.com' }, { email: 'alias@b.com' }]);
    // Santokit's select has no `columns` and answers every readable column; `null` names no list, so it narrows nothing.
    assert.deepEqual(
      expectRows(await ctx.bridge.call('db/users/select', { columns: null }, admin)),
      expectRows(await ctx.bridge.call('db/users/select', {}, admin)),
      'columns: null is the same as no columns',
    );
    const none = await ctx.bridge.call('db/users/select', { where: { email: 'nobody@x.io' } }, admin);
    expectStatus(none, 200);
    assert.deepEqual(none.json, { data: [] });
  },
);

export const idPolicies = defineScenario('CRUD-001', 'each id policy generates or requires the id', async (ctx) => {
  const { admin, database } = await adminOf(ctx, 'id_policies');
  const insert = (table: string, values: Record<string, unknown>) =>
    ctx.bridge.call(`db/${table}/insert`, { values }, admin);
  const v4 = expectRow<{ id: string; label: string }>(await insert('t_uuid4', { label: 'x' }));
  assert.match(v4.id, UUID_V4);
  assert.equal(v4.label, 'x');
  assert.match(expectRow<{ id: string }>(await insert('t_uuid7', { label: 'x' })).id, UUID_V7);
  assert.match(
    expectRow<{ id: string }>(await insert('t_nanoid', { label: 'x' })).id,
    /^[A-Za-z0-9_-]{21}$/,
    'a 21-character nanoid',
  );
  const first = expectRow<{ id: unknown }>(await insert('t_auto', { label: 'one' }));
  const second = expectRow<{ id: unknown }>(await insert('t_auto', { label: 'two' }));
  assert.deepEqual([first.id, second.id], ['1', '2'], 'auto_increment ids are read back as strings');
  assert.deepEqual(expectRow(await insert('t_client', { id: 'manual-1', label: 'x' })), { id: 'manual-1', label: 'x' });
  assert.deepEqual(await ctx.db.query(database.name, 'SELECT id::text AS id FROM t_uuid4'), [{ id: v4.id }]);

  expectInvalidColumn(await insert('t_client', { label: 'no id' }), 'id');
  expectInvalidColumn(await insert('t_auto', { id: 99, label: 'mine' }), 'id');
  expectInvalidColumn(await insert('t_uuid4', { id: '6f1c2a52-6a3e-4c33-9a55-5b1c3d4e5f60', label: 'mine' }), 'id');
  const counts = await ctx.db.query(
    database.name,
    `SELECT (SELECT count(*) FROM t_client)::int AS client, (SELECT count(*) FROM t_auto)::int AS auto, (SELECT count(*) FROM t_uuid4)::int AS uuid4`,
  );
  assert.deepEqual(counts, [{ client: 1, auto: 2, uuid4: 1 }], 'refused inserts wrote nothing');
});

export const insertRefusals = defineScenario(
  'CRUD-001',
  'invalid inserts are refused and write nothing',
  async (ctx) => {
    const { admin, database } = await adminOf(ctx, 'basic');
    const insert = (values: unknown) => ctx.bridge.call('db/users/insert', { values }, admin);
    expectRow(await insert({ email: 'a@b.com' }));
    const countOf = async (email: string) =>
      (
        await ctx.db.query<{ n: number }>(database.name, 'SELECT count(*)::int AS n FROM users WHERE email = $1', [
          email,
        ])
      )[0]?.n;

    expectInvalidColumn(await insert({ id: 'manual_id', email: 'b@b.com' }), 'id');
    assert.equal(await countOf('b@b.com'), 0);
    expectInvalidColumn(await insert({ name: 'x' }), 'email');
    expectInvalidColumn(await insert({ email: 'c@b.com', shoe_size: 44 }), 'shoe_size');
    assert.equal(await countOf('c@b.com'), 0);
    expectInvalidColumn(await insert({ email: 123 }), 'email');
    expectInvalidColumn(await insert({ email: null }), 'email');

    const duplicate = await insert({ email: 'a@b.com' });
    const conflict = expectError(duplicate, 409, 'CONFLICT');
    assert.ok(!conflict.message.includes('a@b.com'), `the message does not echo the value: ${conflict.message}`);
    assert.ok(
      !/insert into|values\s*\(|returning/i.test(conflict.message),
      `the message holds no SQL: ${conflict.message}`,
    );
    assert.ok(!duplicate.text.includes('a@b.com'), 'the body does not echo the value');
    assert.equal(await countOf('a@b.com'), 1);

    expectError(await insert([{ email: 'd@b.com' }]), 400, 'BAD_REQUEST');
    expectError(await ctx.bridge.call('db/users/insert', {}, admin), 400, 'BAD_REQUEST');
    expectError(await ctx.bridge.call('db/users/insert', { values: 'email=d@b.com' }, admin), 400, 'BAD_REQUEST');
    assert.equal(await countOf('d@b.com'), 0);
    const total = await ctx.db.query(database.name, 'SELECT count(*)::int AS n FROM users');
    assert.deepEqual(total, [{ n: 1 }], 'only the first insert was written');
  },
);

export const selectAndPathRefusals = defineScenario(
  'CRUD-001',
  'bad selects, bad paths and missing rights are refused',
  async (ctx) => {
    const { admin, project, env } = await adminOf(ctx, 'basic');
    const guestKey = await createApiKey(ctx, project, env, 'guest', 'guest');
    const stringWhere = await ctx.bridge.call('db/users/select', { where: "email = 'a@b.com'" }, admin);
    expectError(stringWhere, 400, 'BAD_REQUEST');
    expectNoData(stringWhere);
    expectInvalidColumn(await ctx.bridge.call('db/users/select', { where: { shoe_size: 1 } }, admin), 'shoe_size');
    expectInvalidColumn(
      await ctx.bridge.call('db/users/select', { columns: ['email', 'shoe_size'] }, admin),
      'shoe_size',
    );
    // errors.md: a field of the wrong JSON type is a 400 BAD_REQUEST whose message names the field.
    for (const columns of ['email', { email: true }, [1], ['email', 1]]) {
      const wrongType = expectError(await ctx.bridge.call('db/users/select', { columns }, admin), 400, 'BAD_REQUEST');
      assert.match(wrongType.message, /\bcolumns\b/, `the message names columns: ${wrongType.message}`);
    }

    const missing = expectError(await ctx.bridge.call('db/nosuch/select', {}, admin), 404, 'NOT_FOUND');
    assert.match(missing.message, /table not found: nosuch/);
    expectError(await ctx.bridge.call('db/users', {}, admin), 400, 'BAD_REQUEST');
    expectError(await ctx.bridge.call('db/users/upsert', { values: { email: 'u@b.com' } }, admin), 400, 'BAD_REQUEST');

    const hintsOnly: Credentials = { project, env };
    expectError(await ctx.bridge.call('db/users/select', {}, hintsOnly), 401, 'UNAUTHORIZED');
    expectError(
      await ctx.bridge.call('db/users/insert', { values: { email: 'anon@b.com' } }, hintsOnly),
      401,
      'UNAUTHORIZED',
    );
    const guest: Credentials = { apiKey: guestKey, project, env };
    expectError(await ctx.bridge.call('db/users/select', {}, guest), 403, 'FORBIDDEN');
    const refused = await ctx.bridge.call('db/users/insert', { values: { email: 'guest@b.com' } }, guest);
    expectError(refused, 403, 'FORBIDDEN');
    expectNoData(refused);
    assert.deepEqual(
      expectRows(await ctx.bridge.call('db/users/select', {}, admin)),
      [],
      'no refused insert was written',
    );
  },
);
