/** LOGICS-001…008 against a real PostgreSQL: auth binding, params, defaults, roles, conditions, errors. */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { addApiKey, endUserToken, startHarness, type CallResult, type Harness } from './test-support.ts';

const logic = (front: string, sql: string) => `---\n${front}\n---\n${sql}\n`;
const OWNER = 'condition: request.params.owner_id == request.auth.sub';
const LOGICS: Record<string, string> = {
  whoami: logic('auth: authenticated', 'SELECT :auth.sub AS sub, :auth.roles AS roles'),
  public_hello: logic('auth: public', "SELECT 'hello' AS greeting"),
  insert_item: logic(
    'params:\n  name: { type: string, required: true }\n  owner_id: { type: string, required: true }',
    'INSERT INTO items (name, owner_id) VALUES (:name, :owner_id)',
  ),
  insert_item_returning: logic(
    'params:\n  name: { type: string, required: true }\n  owner_id: { type: string, required: true }',
    'INSERT INTO items (name, owner_id) VALUES (:name, :owner_id) RETURNING id, name',
  ),
  rename_owner: logic(
    'params:\n  old_owner: { type: string, required: true }\n  new_owner: { type: string, required: true }',
    'UPDATE items SET owner_id = :new_owner WHERE owner_id = :old_owner',
  ),
  get_items: logic(
    'params:\n  owner_id: { type: string, required: true }',
    'SELECT id, name, owner_id FROM items WHERE owner_id = :owner_id ORDER BY name',
  ),
  default_params: logic(
    'auth: public\nparams:\n  greeting: { type: string, default: hello }',
    'SELECT :greeting AS greeting',
  ),
  list_items: logic('params:\n  limit: { type: int, default: 2 }', 'SELECT name FROM items ORDER BY name LIMIT :limit'),
  optional_nickname: logic('params:\n  nickname: { type: string }', 'SELECT :nickname::text IS NULL AS missing'),
  typed: logic(
    'params:\n  f: { type: float, default: 1.5 }\n  b: { type: bool, default: false }',
    'SELECT :f * 2 AS double, NOT :b AS flipped',
  ),
  admin_only: logic('roles: [admin]', 'SELECT COUNT(*)::int AS total FROM items'),
  public_admin: logic('auth: public\nroles: [admin]', 'SELECT 1 AS one'),
  admin_mapping: logic('auth:\n  roles: [admin]', 'SELECT 1 AS one'),
  condition_malformed: logic(
    `params:\n  owner_id: { type: string, required: true }\ncondition: request.params.owner_id = request.auth.sub`,
    'SELECT :owner_id AS owner_id',
  ),
  condition_roles_equal: logic('condition: request.auth.roles == "authenticated"', 'SELECT 1 AS one'),
  condition_owner_echo: logic(
    `params:\n  owner_id: { type: string, required: true }\n${OWNER}`,
    'SELECT :owner_id AS owner_id',
  ),
  condition_owner_insert: logic(
    `params:\n  owner_id: { type: string, required: true }\n  name: { type: string, required: true }\n${OWNER}`,
    'INSERT INTO items (name, owner_id) VALUES (:name, :owner_id)',
  ),
  condition_role_echo: logic('condition: \'"authenticated" in request.auth.roles\'', 'SELECT :auth.sub AS sub'),
  condition_resource_unsupported: logic(
    'params:\n  owner_id: { type: string }\ncondition: resource.owner_id == request.auth.sub',
    'SELECT 1 AS one',
  ),
  condition_type_error: logic(
    'params:\n  count: { type: int, required: true }\ncondition: request.params.count > request.auth.sub',
    'SELECT 1 AS one',
  ),
  condition_not_bool: logic('condition: request.auth.sub', 'SELECT 1 AS one'),
  condition_absent_param: logic(
    'params:\n  nickname: { type: string }\ncondition: request.params.nickname == "x"',
    'SELECT 1 AS one',
  ),
  condition_has: logic(
    'params:\n  nickname: { type: string }\ncondition: "!has(request.params.nickname) || request.params.nickname == \'nic\'"',
    'SELECT 1 AS one',
  ),
  condition_before_sql: logic(
    `params:\n  owner_id: { type: string, required: true }\n${OWNER}`,
    'SELECT * FROM no_such_table',
  ),
  broken_sql: logic('auth: authenticated', 'SELECT * FROM no_such_table'),
  scanner: logic(
    'params:\n  v: { type: string, required: true }',
    `SELECT ':v' AS quoted, "v" AS ident, :v AS bound, $$ :v $$ AS dollar, 1::int AS cast -- :nope\n/* :nope2 */ FROM (SELECT 'x' AS v) t`,
  ),
  two_statements: logic('auth: authenticated', 'SELECT 1; DELETE FROM items'),
  undeclared: logic('auth: authenticated', 'SELECT :nope AS x'),
  bad_front: logic('roles: admin', 'SELECT 1'),
  'admin/stats': logic('auth: public', 'SELECT 42 AS answer'),
  no_front: 'SELECT :auth.sub AS sub',
};

let h: Harness;
let ADMIN: Record<string, string>;
const HINTS = { 'x-santokit-project': 'shop', 'x-santokit-env': 'dev' };
const A = { authorization: `Bearer ${endUserToken('shop', 'sub-a')}` };
const rows = (result: CallResult) => {
  assert.equal(result.status, 200, result.text);
  return result.body.data as Record<string, unknown>[];
};

function expectError(result: CallResult, status: number, code: string, message?: RegExp): void {
  assert.equal(result.status, status, result.text);
  assert.equal(result.body.error?.code, code, result.text);
  assert.deepEqual(Object.keys(result.body), ['error']);
  assert.equal(result.body.error?.requestId, result.headers.get('x-request-id'));
  if (message) assert.match(result.body.error?.message ?? '', message);
}

describe('logics on a real PostgreSQL', () => {
  before(async () => {
    h = await startHarness({
      ddl: `CREATE TABLE items (id text PRIMARY KEY DEFAULT md5(random()::text), name text NOT NULL UNIQUE, owner_id text)`,
      release: () => ({
        release_id: 'r1',
        project: 'shop',
        env: 'dev',
        storage: {},
        logics: LOGICS,
        schema: {
          tables: { items: { columns: { name: { type: 'string' }, owner_id: { type: 'string', nullable: true } } } },
        },
        permissions: { tables: { items: { select: { roles: ['admin', 'authenticated'] } } } },
      }),
    });
    ADMIN = addApiKey(h.hub, 'admin', ['admin', 'ops']);
  });
  after(() => h.stop());

  test('LOGICS-001 :auth.sub and :auth.roles come from the verified credential', async () => {
    assert.deepEqual((await h.call('logics/whoami', undefined, { ...A, ...HINTS })).body, {
      data: [{ sub: 'sub-a', roles: ['authenticated', 'reader'] }],
    });
    assert.deepEqual(
      rows(await h.call('logics/whoami', {}, { authorization: `Bearer ${endUserToken('shop', 'sub-b')}` })),
      [{ sub: 'sub-b', roles: ['authenticated', 'reader'] }],
    );
    assert.deepEqual(
      rows(
        await h.call('logics/whoami', {}, { cookie: `stk_access_shop_dev=${endUserToken('shop', 'sub-a')}`, ...HINTS }),
      ),
      [{ sub: 'sub-a', roles: ['authenticated', 'reader'] }],
    );
    assert.deepEqual(rows(await h.call('logics/whoami', {}, ADMIN)), [{ sub: 'admin', roles: ['admin', 'ops'] }]);
    assert.deepEqual(rows(await h.call('logics/no_front', {}, ADMIN)), [{ sub: 'admin' }]);
    expectError(await h.call('logics/whoami', {}, HINTS), 401, 'UNAUTHORIZED');
    expectError(await h.call('logics/whoami', {}, { authorization: 'Bearer not-a-token' }), 401, 'UNAUTHORIZED');
    expectError(
      await h.call('logics/whoami', {}, { ...A, 'x-santokit-project': 'other', 'x-santokit-env': 'dev' }),
      403,
      'FORBIDDEN',
    );
    expectError(
      await h.call('logics/whoami', { 'auth.sub': 'someone-else' }, A),
      400,
      'BAD_REQUEST',
      /^unknown param: auth\.sub$/,
    );
    expectError(await h.call('logics/who_am_i', {}, A), 404, 'NOT_FOUND', /^logic not found: who_am_i$/);
  });

  test('LOGICS-002 public logics answer every caller alike; without a credential and without hints the caller is unknown (401)', async () => {
    const expected = { data: [{ greeting: 'hello' }] };
    for (const [headers, params] of [
      [HINTS, undefined],
      [ADMIN, {}],
      [A, null],
    ] as const)
      assert.deepEqual((await h.call('logics/public_hello', params, headers)).body, expected);
    assert.deepEqual(rows(await h.call('logics/admin/stats', {}, HINTS)), [{ answer: 42 }]);
    expectError(await h.call('logics/public_hello', {}), 401, 'UNAUTHORIZED', /no credential/);
    expectError(
      await h.call('logics/public_hello', {}, { 'x-santokit-project': 'nosuch', 'x-santokit-env': 'dev' }),
      404,
      'NOT_FOUND',
    );
    expectError(await h.call('logics/public_nothing', {}, HINTS), 404, 'NOT_FOUND');
    expectError(
      await h.call('logics/public_hello', {}, { authorization: 'Bearer garbage', ...HINTS }),
      401,
      'UNAUTHORIZED',
    );
  });

  test('LOGICS-003 statements answer affected counts; result sets answer rows; database errors are clean', async () => {
    assert.deepEqual((await h.call('logics/insert_item', { name: 'Test Item', owner_id: 'owner-123' }, ADMIN)).body, {
      data: { affected: 1 },
    });
    assert.deepEqual(await h.sql(`SELECT name, owner_id FROM items`), [{ name: 'Test Item', owner_id: 'owner-123' }]);
    assert.equal(rows(await h.call('db/items/select', {}, ADMIN)).length, 1);
    assert.equal((await h.call('logics/insert_item', { name: 'By user', owner_id: 'sub-a' }, A)).status, 200);
    const returned = rows(await h.call('logics/insert_item_returning', { name: 'Returned', owner_id: 'o0' }, ADMIN));
    assert.deepEqual(Object.keys(returned[0] ?? {}), ['id', 'name']);
    for (const name of ['r1', 'r2', 'r3']) await h.call('logics/insert_item', { name, owner_id: 'o1' }, ADMIN);
    assert.deepEqual((await h.call('logics/rename_owner', { old_owner: 'o1', new_owner: 'o2' }, ADMIN)).body, {
      data: { affected: 3 },
    });
    assert.deepEqual((await h.call('logics/rename_owner', { old_owner: 'o1', new_owner: 'o2' }, ADMIN)).body, {
      data: { affected: 0 },
    });
    const before = await h.checksum('items');
    expectError(await h.call('logics/insert_item', { name: 'x', owner_id: 'y' }, HINTS), 401, 'UNAUTHORIZED');
    expectError(
      await h.call('logics/insert_item', { owner_id: 'y' }, ADMIN),
      400,
      'BAD_REQUEST',
      /^missing required param: name$/,
    );
    const duplicate = await h.call('logics/insert_item', { name: 'Test Item', owner_id: 'owner-123' }, ADMIN);
    expectError(duplicate, 409, 'CONFLICT');
    assert.ok(!/INSERT|Test Item/i.test(duplicate.text), duplicate.text);
    expectError(
      await h.call('logics/insert_item', { name: 'n', owner_id: null }, ADMIN),
      400,
      'BAD_REQUEST',
      /^invalid type for param: owner_id$/,
    );
    expectError(await h.call('logics/two_statements', {}, ADMIN), 500, 'INTERNAL_ERROR');
    assert.equal(await h.checksum('items'), before);
  });

  test('LOGICS-004 params are typed, required, declared, and bound — never spliced', async () => {
    await h.sql(`TRUNCATE items`);
    for (const [name, owner] of [
      ['a2', 'o1'],
      ['a1', 'o1'],
      ['b1', 'o2'],
    ])
      await h.call('logics/insert_item', { name, owner_id: owner }, ADMIN);
    assert.deepEqual(
      rows(await h.call('logics/get_items', { owner_id: 'o1' }, ADMIN)).map((row) => row.name),
      ['a1', 'a2'],
    );
    assert.deepEqual(rows(await h.call('logics/get_items', { owner_id: 'nobody' }, ADMIN)), []);
    const before = await h.checksum('items');
    assert.deepEqual(rows(await h.call('logics/get_items', { owner_id: "' OR '1'='1" }, ADMIN)), []);
    assert.deepEqual(rows(await h.call('logics/get_items', { owner_id: "o1'; DELETE FROM items; --" }, ADMIN)), []);
    assert.equal(await h.checksum('items'), before);
    expectError(await h.call('logics/get_items', {}, ADMIN), 400, 'BAD_REQUEST', /^missing required param: owner_id$/);
    expectError(
      await h.call('logics/get_items', { owner_id: 123 }, ADMIN),
      400,
      'BAD_REQUEST',
      /^invalid type for param: owner_id$/,
    );
    expectError(await h.call('logics/get_items', { owner_id: null }, ADMIN), 400, 'BAD_REQUEST', /invalid type/);
    expectError(await h.call('logics/get_items', ['o1'], ADMIN), 400, 'BAD_REQUEST', /^params must be an object$/);
    expectError(
      await h.call('logics/get_items', { owner_id: 'o1', extra: 1 }, ADMIN),
      400,
      'BAD_REQUEST',
      /^unknown param: extra$/,
    );
    expectError(await h.call('logics/get_items', {}, HINTS), 401, 'UNAUTHORIZED');
    assert.deepEqual(rows(await h.call('logics/scanner', { v: 'val' }, ADMIN)), [
      { quoted: ':v', ident: 'x', bound: 'val', dollar: ' :v ', cast: 1 },
    ]);
  });

  test('LOGICS-005 defaults, overrides, and optional params bound as NULL', async () => {
    await h.sql(`TRUNCATE items`);
    for (const name of ['i1', 'i2', 'i3']) await h.call('logics/insert_item', { name, owner_id: 'o' }, ADMIN);
    assert.deepEqual((await h.call('logics/default_params', undefined, HINTS)).body, { data: [{ greeting: 'hello' }] });
    assert.deepEqual(rows(await h.call('logics/default_params', { greeting: 'hi' }, HINTS)), [{ greeting: 'hi' }]);
    assert.deepEqual(
      rows(await h.call('logics/list_items', {}, ADMIN)).map((row) => row.name),
      ['i1', 'i2'],
    );
    assert.equal(rows(await h.call('logics/list_items', { limit: 1 }, ADMIN)).length, 1);
    assert.equal(rows(await h.call('logics/list_items', { limit: 3 }, ADMIN)).length, 3);
    assert.deepEqual(rows(await h.call('logics/optional_nickname', {}, ADMIN)), [{ missing: true }]);
    assert.deepEqual(rows(await h.call('logics/optional_nickname', { nickname: 'Nic' }, ADMIN)), [{ missing: false }]);
    assert.deepEqual(rows(await h.call('logics/typed', { f: 2 }, ADMIN)), [{ double: 4, flipped: true }]);
    expectError(
      await h.call('logics/default_params', { greeting: 42 }, HINTS),
      400,
      'BAD_REQUEST',
      /^invalid type for param: greeting$/,
    );
    expectError(await h.call('logics/default_params', { greeting: null }, HINTS), 400, 'BAD_REQUEST');
    expectError(await h.call('logics/list_items', { limit: '1' }, ADMIN), 400, 'BAD_REQUEST');
    expectError(await h.call('logics/list_items', { limit: 1.5 }, ADMIN), 400, 'BAD_REQUEST');
    expectError(await h.call('logics/typed', { b: 'yes' }, ADMIN), 400, 'BAD_REQUEST');
  });

  test('LOGICS-006 role guards: literal role names, before params, also on public logics', async () => {
    await h.sql(`TRUNCATE items`);
    for (const name of ['x', 'y']) await h.call('logics/insert_item', { name, owner_id: 'o' }, ADMIN);
    assert.deepEqual((await h.call('logics/admin_only', {}, ADMIN)).body, { data: [{ total: 2 }] });
    assert.deepEqual((await h.call('logics/admin_only', {}, addApiKey(h.hub, 'both', ['reader', 'admin']))).body, {
      data: [{ total: 2 }],
    });
    assert.deepEqual((await h.call('logics/public_admin', {}, ADMIN)).body, { data: [{ one: 1 }] });
    const reader = addApiKey(h.hub, 'reader', ['reader']);
    expectError(await h.call('logics/admin_only', {}, HINTS), 401, 'UNAUTHORIZED');
    expectError(await h.call('logics/admin_only', {}, A), 403, 'FORBIDDEN', /^insufficient roles$/);
    expectError(await h.call('logics/admin_only', {}, reader), 403, 'FORBIDDEN');
    expectError(await h.call('logics/public_admin', {}, HINTS), 401, 'UNAUTHORIZED');
    expectError(await h.call('logics/public_admin', {}, reader), 403, 'FORBIDDEN');
    expectError(await h.call('logics/admin_only', ['x'], A), 403, 'FORBIDDEN');
    expectError(await h.call('logics/admin_only', { bogus: 1 }, A), 403, 'FORBIDDEN');
  });

  test('LOGICS-007 failures have fixed statuses, codes, order and fresh request ids; no SQL leaks', async () => {
    expectError(await h.call('logics/get_items', {}, ADMIN), 400, 'BAD_REQUEST');
    const first = await h.call('logics/nonexistent', {}, ADMIN);
    expectError(first, 404, 'NOT_FOUND', /^logic not found: nonexistent$/);
    const second = await h.call('logics/nonexistent', {}, ADMIN);
    assert.equal(second.status, 404);
    assert.notEqual(first.body.error?.requestId, second.body.error?.requestId);
    expectError(await h.call('logics/get_items', { owner_id: 12345 }, ADMIN), 400, 'BAD_REQUEST');
    expectError(await h.call('logics/nonexistent', {}, HINTS), 404, 'NOT_FOUND');
    expectError(await h.call('logics/get_items', {}, HINTS), 401, 'UNAUTHORIZED');
    const broken = await h.call('logics/broken_sql', {}, ADMIN);
    expectError(broken, 500, 'INTERNAL_ERROR');
    assert.ok(!/SELECT|no_such_table/i.test(broken.text), broken.text);
    expectError(await h.call('logics/undeclared', {}, ADMIN), 500, 'INTERNAL_ERROR');
    expectError(await h.call('logics/bad_front', {}, ADMIN), 500, 'INTERNAL_ERROR', /roles/);
    expectError(await h.call('logics/constructor', {}, ADMIN), 404, 'NOT_FOUND');
    expectError(await h.call('logics/', {}, ADMIN), 404, 'NOT_FOUND');
  });

  test('LOGICS-008 conditions are evaluated with CEL before any SQL', async () => {
    await h.sql(`TRUNCATE items`);
    assert.deepEqual(rows(await h.call('logics/condition_owner_echo', { owner_id: 'sub-a' }, A)), [
      { owner_id: 'sub-a' },
    ]);
    assert.deepEqual(
      (await h.call('logics/condition_owner_insert', { owner_id: 'sub-a', name: 'allowed-item' }, A)).body,
      { data: { affected: 1 } },
    );
    assert.deepEqual(rows(await h.call('logics/condition_role_echo', {}, A)), [{ sub: 'sub-a' }]);
    assert.deepEqual(rows(await h.call('logics/condition_owner_echo', { owner_id: 'admin' }, ADMIN)), [
      { owner_id: 'admin' },
    ]);
    assert.deepEqual(rows(await h.call('logics/condition_has', {}, ADMIN)), [{ one: 1 }]);
    assert.deepEqual(rows(await h.call('logics/condition_has', { nickname: 'nic' }, ADMIN)), [{ one: 1 }]);
    expectError(await h.call('logics/condition_has', { nickname: 'bob' }, ADMIN), 403, 'FORBIDDEN');
    expectError(
      await h.call('logics/condition_owner_echo', { owner_id: 'other' }, A),
      403,
      'FORBIDDEN',
      /^condition failed$/,
    );
    expectError(
      await h.call('logics/condition_owner_insert', { owner_id: 'other', name: 'denied-item' }, A),
      403,
      'FORBIDDEN',
    );
    assert.deepEqual(rows(await h.call('db/items/select', { where: { name: 'denied-item' } }, ADMIN)), []);
    expectError(await h.call('logics/condition_before_sql', { owner_id: 'other' }, A), 403, 'FORBIDDEN');
    expectError(await h.call('logics/condition_before_sql', { owner_id: 'sub-a' }, A), 500, 'INTERNAL_ERROR');
    expectError(await h.call('logics/condition_resource_unsupported', {}, A), 400, 'BAD_REQUEST', /unsupported/);
    expectError(await h.call('logics/condition_type_error', { count: 1 }, A), 400, 'BAD_REQUEST');
    expectError(await h.call('logics/condition_not_bool', {}, A), 400, 'BAD_REQUEST');
    expectError(await h.call('logics/condition_absent_param', {}, A), 400, 'BAD_REQUEST');
    expectError(await h.call('logics/condition_role_echo', {}, ADMIN), 403, 'FORBIDDEN');
    expectError(
      await h.call('logics/condition_malformed', { owner_id: 'sub-a' }, A),
      400,
      'BAD_REQUEST',
      /not valid CEL/,
    );
    expectError(await h.call('logics/condition_roles_equal', {}, A), 400, 'BAD_REQUEST', /type-check/);
  });

  test('LOGICS-006 the release-snapshot form auth: { roles: [...] } guards like roles:', async () => {
    assert.deepEqual(rows(await h.call('logics/admin_mapping', {}, ADMIN)), [{ one: 1 }]);
    expectError(await h.call('logics/admin_mapping', {}, A), 403, 'FORBIDDEN');
    expectError(await h.call('logics/admin_mapping', {}, HINTS), 401, 'UNAUTHORIZED');
  });
});
