/** Releases (current, list, show, promote, rollback, history) and the drift gate (snapshot, drift, 409 SCHEMA_DRIFT). */
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
} from '../test-kit.ts';

let hub: Hub;
const owner = () => ({ token: hub.owner });

function apply(project: string, env: string, ref: string, extra: Record<string, unknown> = {}) {
  return hub.call(
    'POST',
    '/api/apply',
    { project, env, ref, schema: [USERS_V1], permissions: PERMISSIONS_V1, ...extra },
    owner(),
  );
}
const promote = (body: Record<string, unknown>) => hub.call('POST', '/api/releases/promote', body, owner());
const currentId = async (project: string, env: string) =>
  (await hub.call('GET', `/api/releases/current?project=${project}&env=${env}`, undefined, owner())).json?.id;

describe('releases and the drift gate', () => {
  before(async () => {
    hub = await startHub();
  });
  after(() => hub.close());

  test('current, list (newest first, current marked, limit), show', async () => {
    const { project } = await createProject(hub, ['dev', 'prod']);
    expectError(
      await hub.call('GET', `/api/releases/current?project=${project}&env=dev`, undefined, owner()),
      404,
      'NOT_FOUND',
      /^no current release$/,
    );
    assert.deepEqual(items(await hub.call('GET', `/api/releases?project=${project}&env=dev`, undefined, owner())), []);
    const r1 = String(expectOk(await apply(project, 'dev', 'r1')).release_id);
    const r2 = String(expectOk(await apply(project, 'dev', 'r2')).release_id);
    const current = expectOk(
      await hub.call('GET', `/api/releases/current?project=${project}&env=dev`, undefined, owner()),
    );
    assert.deepEqual(
      [current.id, current.release_id, current.project, current.env, current.ref],
      [r2, r2, project, 'dev', 'r2'],
    );
    assert.match(String(current.created_at), /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    const list = items(await hub.call('GET', `/api/releases?project=${project}&env=dev`, undefined, owner()));
    assert.deepEqual(
      list.map((row) => [row.id, row.ref, row.current]),
      [
        [r2, 'r2', true],
        [r1, 'r1', false],
      ],
    );
    const limited = items(
      await hub.call('GET', `/api/releases?project=${project}&env=dev&limit=1`, undefined, owner()),
    );
    assert.deepEqual(
      limited.map((row) => row.id),
      [r2],
    );
    for (const limit of ['0', '101', 'abc', '1.5']) {
      expectError(
        await hub.call('GET', `/api/releases?project=${project}&env=dev&limit=${limit}`, undefined, owner()),
        400,
        'BAD_REQUEST',
      );
    }
    const shown = expectOk(await hub.call('GET', `/api/releases/${r1}?project=${project}`, undefined, owner()));
    assert.deepEqual([shown.id, shown.env, shown.ref], [r1, 'dev', 'r1']);
    const other = await createProject(hub);
    expectError(
      await hub.call('GET', `/api/releases/${r1}?project=${other.project}`, undefined, owner()),
      404,
      'NOT_FOUND',
    );
    expectError(
      await hub.call(
        'GET',
        `/api/releases/00000000-0000-0000-0000-000000000000?project=${project}`,
        undefined,
        owner(),
      ),
      404,
      'NOT_FOUND',
    );
    expectError(
      await hub.call('GET', `/api/releases/current?project=${project}&env=nosuch`, undefined, owner()),
      404,
      'NOT_FOUND',
    );
  });

  test('current with include: the asked content parts, never connections; an unknown part is a 400', async () => {
    const { project } = await createProject(hub);
    const rid = String(expectOk(await apply(project, 'dev', 'r1')).release_id);
    const url = (include: string) => `/api/releases/current?project=${project}&env=dev&include=${include}`;
    const plain = expectOk(
      await hub.call('GET', `/api/releases/current?project=${project}&env=dev`, undefined, owner()),
    );
    assert.equal(plain.schema, undefined);
    const withSchema = expectOk(await hub.call('GET', url('schema'), undefined, owner()));
    assert.equal(withSchema.release_id, rid);
    assert.deepEqual(Object.keys((withSchema.schema as { tables: object }).tables), ['users']);
    assert.equal(withSchema.permissions, undefined);
    const all = expectOk(await hub.call('GET', url('schema,permissions,storage,logics'), undefined, owner()));
    assert.deepEqual(
      Object.keys(all)
        .filter((key) => ['schema', 'permissions', 'storage', 'logics'].includes(key))
        .sort(),
      ['logics', 'permissions', 'schema', 'storage'],
    );
    assert.ok(!Object.hasOwn(all, 'connections'), 'connections are never included');
    expectError(
      await hub.call('GET', url('schema,connections'), undefined, owner()),
      400,
      'BAD_REQUEST',
      /connections/,
    );
  });

  test('promote by env or release id, rollback, and every pointer move recorded', async () => {
    const { project, urls } = await createProject(hub, ['dev', 'prod']);
    const r1 = String(expectOk(await apply(project, 'dev', 'r1')).release_id);
    const r2 = String(expectOk(await apply(project, 'dev', 'r2')).release_id);
    expectError(await promote({ project, from: 'prod', to: 'dev' }), 404, 'NOT_FOUND', /^no current release$/);
    // OPERATOR-005: promote runs no DDL, so a target database without the release's tables is refused.
    expectError(
      await promote({ project, from: 'dev', to: 'prod' }),
      409,
      'SCHEMA_DRIFT',
      /^target database does not match the release on connection main: missing table users$/,
    );
    expectOk(await apply(project, 'prod', 'r1', { only: 'schema' }));
    const tables = `SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' ORDER BY table_name`;
    const prodTables = await sql(urls.prod ?? '', tables);
    assert.deepEqual(expectOk(await promote({ project, from: 'dev', to: 'prod' })), {
      ok: true,
      project,
      env: 'prod',
      release_id: r2,
    });
    assert.equal(await currentId(project, 'prod'), r2);
    expectOk(await promote({ project, release_id: r1, to: 'prod' }));
    assert.equal(await currentId(project, 'prod'), r1);
    const prodList = items(await hub.call('GET', `/api/releases?project=${project}&env=prod`, undefined, owner()));
    assert.deepEqual(
      prodList.map((row) => [row.id, row.current]),
      [
        [r2, false],
        [r1, true],
      ],
    );
    assert.deepEqual(await sql(urls.prod ?? '', tables), prodTables, 'promote runs no DDL');
    expectError(await promote({ project, from: 'dev', release_id: r1, to: 'prod' }), 400, 'BAD_REQUEST');
    expectError(await promote({ project, to: 'prod' }), 400, 'BAD_REQUEST');
    expectError(await promote({ project, release_id: 'nosuch', to: 'prod' }), 404, 'NOT_FOUND');
    expectError(await promote({ project, from: 'dev', to: 'nosuch' }), 404, 'NOT_FOUND');
    const other = await createProject(hub);
    const foreign = String(expectOk(await apply(other.project, 'dev', 'x1')).release_id);
    expectError(await promote({ project, release_id: foreign, to: 'prod' }), 404, 'NOT_FOUND');
    const rollback = (body: Record<string, unknown>) =>
      hub.call('POST', '/api/releases/rollback', { project, env: 'dev', ...body }, owner());
    expectError(await rollback({ to_release_id: foreign }), 404, 'NOT_FOUND');
    expectError(await rollback({ to_release_id: 'does-not-exist' }), 404, 'NOT_FOUND');
    expectError(await rollback({}), 400, 'BAD_REQUEST');
    assert.equal(await currentId(project, 'dev'), r2, 'refused rollbacks leave the pointer');
    assert.deepEqual(expectOk(await rollback({ to_release_id: r1 })), {
      ok: true,
      project,
      env: 'dev',
      release_id: r1,
    });
    assert.equal(await currentId(project, 'dev'), r1);
  });

  test('drift gate: snapshot, out-of-band ALTER blocks promote and release creation, fixing it unblocks', async () => {
    const { project, urls } = await createProject(hub, ['dev', 'prod']);
    const d1 = String(expectOk(await apply(project, 'dev', 'd1')).release_id);
    const p1 = String(expectOk(await apply(project, 'prod', 'p1')).release_id);
    const snapshot = expectOk(await hub.call('POST', '/api/schema/snapshot', { project, env: 'prod' }, owner()));
    const users = (snapshot.snapshots?.[0]?.tables?.[0] ?? {}) as {
      name?: string;
      columns?: { name: string; type: string; nullable: boolean }[];
    };
    assert.equal(snapshot.snapshots?.[0]?.connection, 'main');
    assert.equal(users.name, 'users');
    assert.deepEqual(
      users.columns?.find((column) => column.name === 'email'),
      { name: 'email', type: 'text', nullable: false },
    );
    const drift = () => hub.call('POST', '/api/schema/drift', { project, env: 'prod' }, owner());
    assert.deepEqual(expectOk(await drift()), {
      project,
      env: 'prod',
      drifted: false,
      connections: [{ connection: 'main', issues: [] }],
    });
    await sql(urls.prod ?? '', 'ALTER TABLE users ADD COLUMN nickname text');
    const reported = expectOk(await drift());
    assert.deepEqual([reported.drifted, reported.connections?.[0]?.issues], [true, ['extra column users.nickname']]);
    const refused = await promote({ project, from: 'dev', to: 'prod' });
    expectError(
      refused,
      409,
      'SCHEMA_DRIFT',
      /^schema drift detected on connection main: extra column users\.nickname$/,
    );
    assert.deepEqual(refused.json?.error?.details, {
      project,
      env: 'prod',
      drift: [{ connection: 'main', issues: ['extra column users.nickname'] }],
    });
    assert.equal(await currentId(project, 'prod'), p1);
    expectError(await apply(project, 'prod', 'p2', { only: ['permissions', 'release'] }), 409, 'SCHEMA_DRIFT');
    assert.equal(
      items(await hub.call('GET', `/api/releases?project=${project}&env=prod`, undefined, owner())).length,
      1,
      'no release created',
    );
    const dry = expectOk(await apply(project, 'prod', 'p2', { dry_run: true, only: ['permissions', 'release'] }));
    assert.equal(dry.dry_run, true, 'a dry run checks no drift');
    expectOk(await hub.call('POST', '/api/releases/rollback', { project, env: 'prod', to_release_id: p1 }, owner()));
    await sql(urls.prod ?? '', 'ALTER TABLE users DROP COLUMN nickname');
    expectOk(await promote({ project, from: 'dev', to: 'prod' }));
    assert.equal(await currentId(project, 'prod'), d1);
  });

  test('a fresh snapshot or a full apply resolves drift; the source env and unbaselined envs never block', async () => {
    const { project, urls } = await createProject(hub, ['dev', 'prod', 'staging']);
    expectOk(await apply(project, 'dev', 'd1'));
    expectOk(await apply(project, 'prod', 'p1'));
    await sql(urls.prod ?? '', 'ALTER TABLE users ADD COLUMN a text');
    await sql(urls.prod ?? '', 'ALTER TABLE users ADD COLUMN b text');
    expectError(
      await promote({ project, from: 'dev', to: 'prod' }),
      409,
      'SCHEMA_DRIFT',
      /extra column users\.a, extra column users\.b$/,
    );
    expectOk(await hub.call('POST', '/api/schema/snapshot', { project, env: 'prod' }, owner()));
    expectOk(await promote({ project, from: 'dev', to: 'prod' }));
    await sql(urls.prod ?? '', 'ALTER TABLE users DROP COLUMN created_at');
    expectError(
      await promote({ project, from: 'dev', to: 'prod' }),
      409,
      'SCHEMA_DRIFT',
      /missing column users\.created_at/,
    );
    expectOk(await apply(project, 'prod', 'p3'));
    assert.equal(
      expectOk(await hub.call('POST', '/api/schema/drift', { project, env: 'prod' }, owner())).drifted,
      false,
      'apply re-created the column and re-baselined',
    );
    expectOk(await hub.call('POST', '/api/schema/snapshot', { project, env: 'dev' }, owner()));
    await sql(urls.dev ?? '', 'ALTER TABLE users ADD COLUMN c text');
    expectOk(await promote({ project, from: 'dev', to: 'prod' }), 'drift in the source does not matter');
    await sql(urls.staging ?? '', 'CREATE TABLE handmade (id int)');
    await sql(
      urls.staging ?? '',
      'CREATE TABLE users (id text PRIMARY KEY, email text, name text, created_at timestamp, c text)',
    );
    expectOk(
      await promote({ project, from: 'dev', to: 'staging' }),
      'no baseline, no drift; the tables the release needs are there',
    );
  });

  test('every kind of drift is named; snapshot failures keep the old baseline', async () => {
    const { project, urls } = await createProject(hub, ['prod']);
    expectOk(
      await apply(project, 'prod', 'p1', {
        schema: [
          {
            file: 'schema/t.yaml',
            content:
              'tables:\n  users:\n    columns:\n      name: { type: string, nullable: true }\n      email: { type: string }\n',
          },
        ],
        permissions: null,
      }),
    );
    await sql(
      urls.prod ?? '',
      `ALTER TABLE users DROP COLUMN email; ALTER TABLE users ALTER COLUMN name TYPE varchar(10);
      ALTER TABLE users ALTER COLUMN name SET NOT NULL; CREATE TABLE audit_tmp (id int)`,
    );
    const issues = expectOk(await hub.call('POST', '/api/schema/drift', { project, env: 'prod' }, owner()))
      .connections?.[0]?.issues;
    assert.deepEqual(issues, [
      'extra table audit_tmp',
      'missing column users.email',
      'type changed users.name: text -> character varying(10)',
      'nullability changed users.name: nullable -> not null',
    ]);
    await sql(urls.prod ?? '', 'DROP TABLE users');
    assert.ok(
      (
        expectOk(await hub.call('POST', '/api/schema/drift', { project, env: 'prod' }, owner())).connections?.[0]
          ?.issues as unknown as string[]
      ).includes('missing table users'),
    );
    const set = (url: string) =>
      hub.call(
        'POST',
        '/api/connections/set',
        { project, env: 'prod', name: 'main', engine: 'postgres', db_url: url },
        owner(),
      );
    expectOk(await set('postgres://postgres:pw-x@127.0.0.1:1/nowhere'));
    expectError(
      await hub.call('POST', '/api/schema/snapshot', { project, env: 'prod' }, owner()),
      400,
      'BAD_REQUEST',
      /^connection failed: main$/,
    );
    expectOk(await set(urls.prod ?? ''));
    assert.equal(
      expectOk(await hub.call('POST', '/api/schema/drift', { project, env: 'prod' }, owner())).drifted,
      true,
      'old baseline kept',
    );
    const empty = await createProject(hub, []);
    expectOk(await hub.call('POST', '/api/envs', { project: empty.project, env: 'dev' }, owner()));
    assert.deepEqual(
      expectOk(await hub.call('POST', '/api/schema/snapshot', { project: empty.project, env: 'dev' }, owner()))
        .snapshots,
      [],
    );
    expectError(await hub.call('POST', '/api/schema/snapshot', { project, env: 'nosuch' }, owner()), 404, 'NOT_FOUND');
  });
});
