/** SECURITY-001…005 against a real PostgreSQL: rule choice, CEL row filters, unsupported conditions, column lists. */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { addApiKey, endUserToken, startHarness, type CallResult, type Harness } from './test-support.ts';

const s = (nullable = true) => ({ type: 'string', nullable });
const text = (names: string[]) => names.map((name) => `"${name}" text`).join(', ');
const admin = { roles: ['admin'] };
const ALL_ADMIN = { select: admin, insert: admin, update: admin, delete: admin };
const UNSUPPORTED: Record<string, string> = {
  t_ne: 'resource.name != "Denied"',
  t_gt: 'resource.level > 10',
  t_starts: 'resource.name.startsWith("A")',
  t_in: 'resource.name in ["a", "b"]',
  t_or: 'resource.name == "a" || resource.name == "b"',
  t_mixed: 'resource.owner == request.auth.sub && "reader" in request.auth.roles',
  t_both: 'resource.name == resource.owner',
  t_not: '!(resource.name == "a")',
  t_and: 'resource.name == "a" && resource.level == 20',
  t_gate: '"reader" in request.auth.roles',
  t_request: 'request.auth.sub == "sub-a"',
  t_ok: 'resource.name == "ok"',
};

const DDL = [
  `CREATE TABLE users (${text(['id', 'email', 'name'])}, PRIMARY KEY (id))`,
  `CREATE TABLE notes (${text(['id', 'owner_id', 'body'])}, PRIMARY KEY (id))`,
  `CREATE TABLE lit_users (${text(['id', 'email', 'name'])}, PRIMARY KEY (id))`,
  `CREATE TABLE items (id text PRIMARY KEY, level bigint, active boolean)`,
  `CREATE TABLE quoted (${text(['id', 'name'])}, PRIMARY KEY (id))`,
  `CREATE TABLE mismatch (${text(['id', 'name'])}, PRIMARY KEY (id))`,
  ...Object.keys(UNSUPPORTED).map(
    (name) => `CREATE TABLE ${name} (id text PRIMARY KEY, name text, level bigint, owner text)`,
  ),
  `CREATE TABLE cp_users (${text(['id', 'normal', 's_sensitive', 'c_secret', 'p_private', '_system'])}, PRIMARY KEY (id))`,
  `CREATE TABLE colp (${text(['id', 'name', 'email', 'avatar_url', 'bio', 'c_ssn'])}, PRIMARY KEY (id))`,
  `CREATE TABLE board (${text(['id', 'body'])}, PRIMARY KEY (id))`,
].join(';\n');

const generic = { columns: { name: s(), level: { type: 'int', nullable: true }, owner: s() } };
const TABLES: Record<string, unknown> = {
  users: { id: { generate: 'client' }, columns: { email: s(), name: s() } },
  notes: { columns: { owner_id: s(), body: s() } },
  lit_users: { id: { generate: 'client' }, columns: { email: s(), name: s() } },
  items: { columns: { level: { type: 'int', nullable: true }, active: { type: 'boolean', nullable: true } } },
  quoted: { columns: { name: s() } },
  mismatch: { columns: { name: s() } },
  ...Object.fromEntries(Object.keys(UNSUPPORTED).map((name) => [name, generic])),
  cp_users: {
    columns: Object.fromEntries(
      ['normal', 's_sensitive', 'c_secret', 'p_private', '_system'].map((name) => [name, s()]),
    ),
  },
  colp: { columns: Object.fromEntries(['name', 'email', 'avatar_url', 'bio', 'c_ssn'].map((name) => [name, s()])) },
  board: { columns: { body: s() } },
};

const owner = 'resource.id == request.auth.sub';
const authed = (condition?: string, columns?: string[]) => ({
  roles: ['authenticated'],
  ...(condition ? { condition } : {}),
  ...(columns ? { columns } : {}),
});
const PERMISSIONS: Record<string, unknown> = {
  users: { select: [authed(owner), admin], insert: authed(), update: authed(owner), delete: admin },
  notes: {
    select: [authed('resource.owner_id == request.auth.sub'), admin],
    insert: [authed('request.auth.sub == resource.owner_id'), admin],
  },
  lit_users: {
    select: [authed('resource.name == "Allowed"'), admin],
    insert: authed(),
    update: authed('resource.name == "Allowed"'),
  },
  items: { select: authed('resource.active == true'), insert: [authed('resource.level == 3'), admin] },
  quoted: { select: authed("'Allowed' == resource.name"), insert: admin },
  mismatch: { select: authed('resource.name == 3'), insert: admin },
  ...Object.fromEntries(
    Object.entries(UNSUPPORTED).map(([name, condition]) => [
      name,
      {
        select: [authed(condition), admin],
        update: [authed(condition), admin],
        delete: [authed(condition), admin],
        insert: [authed(condition), admin],
      },
    ]),
  ),
  cp_users: {
    ...ALL_ADMIN,
    update: [admin, { roles: ['editor'] }],
    select: [
      { roles: ['admin'], columns: ['*'] },
      { roles: ['viewer'], columns: ['id', 'normal', 's_sensitive'] },
      { roles: ['auditor'], columns: ['id', 'c_secret', 'p_private', '_system'] },
    ],
  },
  colp: {
    select: [
      { roles: ['admin'], columns: ['*'] },
      { roles: ['basic'], columns: ['id', 'name', 'avatar_url', 'bio'] },
    ],
    insert: [
      { roles: ['admin'], columns: ['name', 'email', 'avatar_url', 'bio'] },
      { roles: ['basic'], columns: ['name', 'bio'] },
      { roles: ['writer'] },
    ],
    update: [
      { roles: ['admin'], columns: ['name', 'avatar_url'] },
      { roles: ['basic'], columns: ['bio'] },
    ],
    delete: admin,
  },
  board: { select: { roles: ['public'] }, insert: { roles: ['authenticated'] } },
};

let h: Harness;
let ADMIN: Record<string, string>;
const A = { authorization: `Bearer ${endUserToken('shop', 'sub-a')}` };
const B = { authorization: `Bearer ${endUserToken('shop', 'sub-b')}` };
const HINTS = { 'x-santokit-project': 'shop', 'x-santokit-env': 'dev' };
const rows = (result: CallResult) => {
  assert.equal(result.status, 200, result.text);
  return result.body.data as Record<string, unknown>[];
};

function expectError(result: CallResult, status: number, code: string, message?: RegExp): void {
  assert.equal(result.status, status, result.text);
  assert.equal(result.body.error?.code, code, result.text);
  assert.equal(result.body.data, undefined);
  if (message) assert.match(result.body.error?.message ?? '', message);
}

describe('permissions on a real PostgreSQL', () => {
  before(async () => {
    h = await startHarness({
      ddl: DDL,
      release: () => ({
        release_id: 'r1',
        project: 'shop',
        env: 'dev',
        storage: {},
        logics: {},
        schema: { tables: TABLES },
        permissions: { tables: PERMISSIONS },
      }),
    });
    ADMIN = addApiKey(h.hub, 'admin', ['admin']);
  });
  after(() => h.stop());

  test('SECURITY-001 owner condition filters select and update; insert checks the written owner', async () => {
    assert.equal(
      (await h.call('db/users/insert', { values: { id: 'sub-a', email: 'a@x.io', name: 'User A' } }, A)).status,
      200,
    );
    assert.equal(
      (await h.call('db/users/insert', { values: { id: 'sub-b', email: 'b@x.io', name: 'User B' } }, B)).status,
      200,
    );
    assert.deepEqual(
      rows(await h.call('db/users/select', {}, A)).map((row) => row.id),
      ['sub-a'],
    );
    assert.deepEqual(
      rows(await h.call('db/users/select', {}, B)).map((row) => row.id),
      ['sub-b'],
    );
    assert.deepEqual(rows(await h.call('db/users/select', { where: { id: 'sub-b' } }, A)), []);
    assert.deepEqual(
      rows(await h.call('db/users/select', { where: { id: { $ne: 'x' } } }, A)).map((row) => row.id),
      ['sub-a'],
    );
    assert.equal(
      rows(await h.call('db/users/update', { where: { id: 'sub-b' }, data: { name: 'hacked' } }, A)).length,
      0,
    );
    assert.deepEqual(await h.sql(`SELECT name FROM users WHERE id = 'sub-b'`), [{ name: 'User B' }]);
    assert.equal(rows(await h.call('db/users/update', { where: { id: 'sub-a' }, data: { name: 'A2' } }, A)).length, 1);
    assert.equal(rows(await h.call('db/users/select', {}, ADMIN)).length, 2);
    assert.equal((await h.call('db/notes/insert', { values: { owner_id: 'sub-a', body: 'mine' } }, A)).status, 200);
    assert.equal((await h.call('db/notes/insert', { values: { owner_id: 'sub-b', body: 'theirs' } }, B)).status, 200);
    assert.deepEqual(
      rows(await h.call('db/notes/select', {}, A)).map((row) => row.body),
      ['mine'],
    );
    assert.deepEqual(
      rows(await h.call('db/notes/select', {}, B)).map((row) => row.body),
      ['theirs'],
    );

    expectError(
      await h.call('db/notes/insert', { values: { owner_id: 'sub-b', body: 'forged' } }, A),
      403,
      'FORBIDDEN',
      /condition failed/,
    );
    expectError(await h.call('db/notes/insert', { values: { body: 'no owner' } }, A), 403, 'FORBIDDEN');
    assert.deepEqual(await h.sql(`SELECT count(*)::int AS n FROM notes WHERE body IN ('forged', 'no owner')`), [
      { n: 0 },
    ]);
    expectError(await h.call('db/users/select', {}, HINTS), 401, 'UNAUTHORIZED');
    expectError(await h.call('db/users/delete', { where: { id: 'sub-a' } }, A), 403, 'FORBIDDEN');
    expectError(await h.call('db/users/select', {}, addApiKey(h.hub, 'reader', ['reader'])), 403, 'FORBIDDEN');
    expectError(
      await h.call('db/users/select', {}, addApiKey(h.hub, 'sneaky', ['authenticated'])),
      403,
      'FORBIDDEN',
      /no permission rule/,
    );
    assert.deepEqual(rows(await h.call('db/users/select', { where: { id: "x' OR '1'='1" } }, A)), []);
  });

  test('SECURITY-002 literal conditions: strings, integers, booleans, on either side of ==', async () => {
    await h.call('db/lit_users/insert', { values: { id: 'u1', email: 'u1@x.io', name: 'Allowed' } }, A);
    await h.call('db/lit_users/insert', { values: { id: 'u2', email: 'u2@x.io', name: 'Denied' } }, A);
    assert.deepEqual(
      rows(await h.call('db/lit_users/select', {}, A)).map((row) => row.id),
      ['u1'],
    );
    assert.deepEqual(rows(await h.call('db/lit_users/select', { where: { name: 'Denied' } }, A)), []);
    assert.equal(rows(await h.call('db/lit_users/update', { where: { id: 'u2' }, data: { email: 'x' } }, A)).length, 0);
    assert.equal(rows(await h.call('db/lit_users/select', {}, ADMIN)).length, 2);
    for (const [level, active] of [
      [3, true],
      [3, false],
      [2, true],
    ] as const)
      await h.call('db/items/insert', { values: { level, active } }, ADMIN);
    assert.deepEqual(
      rows(await h.call('db/items/select', { columns: ['level', 'active'], orderBy: { level: 'desc' } }, A)),
      [
        { level: 3, active: true },
        { level: 2, active: true },
      ],
    );
    for (const name of ['Allowed', 'Other']) await h.call('db/quoted/insert', { values: { name } }, ADMIN);
    assert.deepEqual(rows(await h.call('db/quoted/select', { columns: ['name'] }, A)), [{ name: 'Allowed' }]);
    assert.equal(
      (await h.call('db/items/insert', { values: { level: 3, active: false } }, A)).status,
      200,
      'integer literal checked on insert',
    );
    expectError(await h.call('db/items/insert', { values: { level: 4 } }, A), 403, 'FORBIDDEN');

    await h.call('db/mismatch/insert', { values: { name: 'x' } }, ADMIN);
    expectError(await h.call('db/mismatch/select', {}, A), 400, 'BAD_REQUEST', /'name'/);
    expectError(await h.call('db/lit_users/select', {}, HINTS), 401, 'UNAUTHORIZED');
    expectError(await h.call('db/lit_users/select', {}, addApiKey(h.hub, 'reader', ['reader'])), 403, 'FORBIDDEN');
    const before = await h.checksum('lit_users');
    assert.deepEqual(rows(await h.call('db/lit_users/select', { where: { name: "Allowed' OR 'x'='x" } }, A)), []);
    assert.equal(await h.checksum('lit_users'), before);
  });

  test('SECURITY-003 conditions the filter cannot express (&&, request-only gates included) are a hard 400 for every op', async () => {
    for (const table of Object.keys(UNSUPPORTED)) {
      for (const name of ['ok', 'a', 'Denied'])
        await h.call(`db/${table}/insert`, { values: { name, level: 20, owner: 'sub-a' } }, ADMIN);
    }
    for (const table of Object.keys(UNSUPPORTED).filter((name) => name !== 't_ok')) {
      const before = await h.checksum(table);
      for (const [op, params] of [
        ['select', {}],
        ['update', { where: { name: 'a' }, data: { name: 'z' } }],
        ['delete', { where: { name: 'a' } }],
        ['insert', { values: { name: 'new' } }],
      ] as const) {
        const result = await h.call(`db/${table}/${op}`, params, A);
        expectError(result, 400, 'BAD_REQUEST', /unsupported/i);
      }
      assert.equal(await h.checksum(table), before, `${table} unchanged`);
      assert.equal(rows(await h.call(`db/${table}/select`, {}, ADMIN)).length, 3, 'the admin rule has no condition');
    }
    assert.deepEqual(rows(await h.call('db/t_ok/select', { columns: ['name'] }, A)), [{ name: 'ok' }]);
  });

  test('SECURITY-004 prefixes mean nothing; explicit lists decide what is read, filtered and sorted', async () => {
    const seeded = await h.call(
      'db/cp_users/insert',
      { values: { normal: 'John Doe', s_sensitive: 's1', c_secret: 'c1', p_private: 'p1', _system: 'x1' } },
      ADMIN,
    );
    assert.deepEqual(Object.keys(rows(seeded)[0] ?? {}).sort(), [
      '_system',
      'c_secret',
      'id',
      'normal',
      'p_private',
      's_sensitive',
    ]);
    const viewer = addApiKey(h.hub, 'viewer', ['viewer']);
    const auditor = addApiKey(h.hub, 'auditor', ['auditor']);
    assert.deepEqual(Object.keys(rows(await h.call('db/cp_users/select', {}, ADMIN))[0] ?? {}).sort(), [
      '_system',
      'c_secret',
      'id',
      'normal',
      'p_private',
      's_sensitive',
    ]);
    assert.deepEqual(
      Object.keys(rows(await h.call('db/cp_users/select', { where: { normal: 'John Doe' } }, viewer))[0] ?? {}),
      ['id', 'normal', 's_sensitive'],
    );
    const audited = rows(await h.call('db/cp_users/select', {}, auditor))[0] ?? {};
    assert.deepEqual(
      [Object.keys(audited), audited.c_secret, audited._system],
      [['id', 'c_secret', 'p_private', '_system'], 'c1', 'x1'],
    );
    assert.deepEqual(rows(await h.call('db/cp_users/select', { columns: ['normal'] }, viewer)), [
      { normal: 'John Doe' },
    ]);
    expectError(
      await h.call('db/cp_users/select', { where: { c_secret: 'c1' } }, viewer),
      403,
      'FORBIDDEN',
      /c_secret/,
    );
    expectError(
      await h.call('db/cp_users/select', { orderBy: { p_private: 'asc' } }, viewer),
      403,
      'FORBIDDEN',
      /p_private/,
    );
    expectError(await h.call('db/cp_users/select', { columns: ['_system'] }, viewer), 403, 'FORBIDDEN', /_system/);
    expectError(
      await h.call(
        'db/cp_users/update',
        { where: { c_secret: 'c1' }, data: { normal: 'x' } },
        addApiKey(h.hub, 'editor', ['viewer', 'editor']),
      ),
      403,
      'FORBIDDEN',
      /c_secret/,
    );
    const before = await h.checksum('cp_users');
    expectError(await h.call('db/cp_users/insert', { values: { normal: 'x' } }, viewer), 403, 'FORBIDDEN');
    expectError(await h.call('db/cp_users/select', {}, addApiKey(h.hub, 'guest', ['guest'])), 403, 'FORBIDDEN');
    assert.equal(await h.checksum('cp_users'), before);
  });

  test('SECURITY-005 column lists on writes; refused writes change nothing; insert answers readable columns', async () => {
    const basic = addApiKey(h.hub, 'basic', ['basic']);
    const id = String(
      rows(await h.call('db/colp/insert', { values: { email: 'test@col.com', name: 'Test User' } }, ADMIN))[0]?.id,
    );
    const adminRow = rows(await h.call('db/colp/select', { where: { id } }, ADMIN))[0];
    assert.deepEqual([adminRow?.email, adminRow?.name, adminRow?.c_ssn], ['test@col.com', 'Test User', null]);
    assert.deepEqual(Object.keys(rows(await h.call('db/colp/select', {}, basic))[0] ?? {}), [
      'id',
      'name',
      'avatar_url',
      'bio',
    ]);
    const own = await h.call('db/colp/insert', { values: { name: 'Basic', bio: 'hi' } }, basic);
    assert.deepEqual(Object.keys(rows(own)[0] ?? {}), ['id', 'name', 'avatar_url', 'bio']);
    assert.equal(rows(await h.call('db/colp/update', { where: { id }, data: { name: 'Renamed' } }, ADMIN)).length, 1);
    assert.equal(rows(await h.call('db/colp/update', { where: { id }, data: { bio: 'b' } }, basic)).length, 1);
    assert.deepEqual(await h.sql('SELECT name, bio FROM colp WHERE id = $1', [id]), [{ name: 'Renamed', bio: 'b' }]);

    const before = await h.checksum('colp');
    expectError(
      await h.call('db/colp/insert', { values: { name: 'Basic2', email: 'basic@x.com' } }, basic),
      403,
      'FORBIDDEN',
      /^column 'email' is not writable$/,
    );
    expectError(
      await h.call('db/colp/insert', { values: { name: 'x', c_ssn: '1' } }, ADMIN),
      403,
      'FORBIDDEN',
      /c_ssn/,
    );
    expectError(
      await h.call('db/colp/update', { where: { id }, data: { email: 'new@x.io' } }, ADMIN),
      403,
      'FORBIDDEN',
    );
    expectError(
      await h.call('db/colp/update', { where: { id }, data: { name: 'x', bio: 'y' } }, basic),
      403,
      'FORBIDDEN',
      /'name'/,
    );
    expectError(await h.call('db/colp/select', { where: { email: 'test@col.com' } }, basic), 403, 'FORBIDDEN');
    expectError(await h.call('db/colp/delete', { where: { id } }, basic), 403, 'FORBIDDEN');
    expectError(
      await h.call('db/colp/insert', { values: { name: 'x', shoe_size: 1 } }, basic),
      400,
      'SCHEMA_VALIDATION_FAILED',
      /shoe_size/,
    );
    expectError(await h.call('db/colp/insert', { values: { name: 5, email: 'x' } }, basic), 403, 'FORBIDDEN', /email/);
    assert.equal(await h.checksum('colp'), before);
    const noSelect = addApiKey(h.hub, 'writer', ['writer']);
    assert.deepEqual(
      Object.keys(rows(await h.call('db/colp/insert', { values: { name: 'w' } }, noSelect))[0] ?? {}),
      ['id'],
      'no select rule: only the primary key',
    );
  });

  test('public rules let anonymous callers in; authenticated rules do not', async () => {
    assert.equal((await h.call('db/board/insert', { values: { body: 'hello' } }, A)).status, 200);
    assert.deepEqual(rows(await h.call('db/board/select', { columns: ['body'] }, HINTS)), [{ body: 'hello' }]);
    expectError(await h.call('db/board/insert', { values: { body: 'anon' } }, HINTS), 401, 'UNAUTHORIZED');
    expectError(await h.call('db/board/insert', { values: { body: 'key' } }, ADMIN), 403, 'FORBIDDEN');
  });
});
