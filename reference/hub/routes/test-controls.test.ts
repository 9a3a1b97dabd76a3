/** Test-mode controls: absent without STK_HUB_TEST_MODE, and a release with one column stored as given when present. */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { createProject, expectError, expectOk, PERMISSIONS_V1, startHub, USERS_V1, type Hub } from '../test-kit.ts';

const MYSTERY = { type: 'uuidish', nullable: false };

describe('test-mode controls', () => {
  let plain: Hub;
  let testing: Hub;
  before(async () => {
    [plain, testing] = await Promise.all([startHub(), startHub({ STK_HUB_TEST_MODE: '1' })]);
  });
  after(() => Promise.all([plain.close(), testing.close()]));

  test('without test mode the route does not exist', async () => {
    const { project } = await createProject(plain);
    const body = { project, env: 'dev', table: 'users', column: 'mystery', definition: MYSTERY };
    expectError(
      await plain.call('POST', '/api/test/releases/column', body, { token: plain.owner }),
      404,
      'NOT_FOUND',
      /^no route /,
    );
  });

  test('a copy of the current release with the column as given becomes current, the other columns kept', async () => {
    const hub = testing;
    const owner = { token: hub.owner };
    const { project } = await createProject(hub);
    const body = { project, env: 'dev', table: 'users', column: 'mystery', definition: MYSTERY };
    expectError(
      await hub.call('POST', '/api/test/releases/column', body, owner),
      404,
      'NOT_FOUND',
      /^no current release$/,
    );
    const applied = expectOk(
      await hub.call(
        'POST',
        '/api/apply',
        { project, env: 'dev', ref: 'r1', schema: [USERS_V1], permissions: PERMISSIONS_V1 },
        owner,
      ),
    );
    expectError(await hub.call('POST', '/api/test/releases/column', body), 401, 'UNAUTHORIZED');
    expectError(
      await hub.call('POST', '/api/test/releases/column', { ...body, table: 'ghosts' }, owner),
      404,
      'NOT_FOUND',
      /^table not found: ghosts$/,
    );
    expectError(
      await hub.call('POST', '/api/test/releases/column', { ...body, definition: 'uuidish' }, owner),
      400,
      'BAD_REQUEST',
    );
    const made = expectOk(await hub.call('POST', '/api/test/releases/column', body, owner));
    assert.notEqual(made.release_id, applied.release_id);
    const current = expectOk(
      await hub.call('GET', `/api/releases/current?project=${project}&env=dev&include=schema`, undefined, owner),
    );
    assert.equal(current.release_id, made.release_id);
    const columns = (current.schema as { tables: { users: { columns: Record<string, unknown> } } }).tables.users
      .columns;
    assert.deepEqual(columns.mystery, MYSTERY);
    assert.ok(Object.hasOwn(columns, 'email'), 'the other columns stay');
  });
});
