/** An apply opens each project database once and closes it on every path; the per-request client set itself. */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { connectDatabase, openProjectDatabases } from '../schema/introspect.ts';
import {
  createProject,
  expectError,
  expectOk,
  PERMISSIONS_V1,
  sql,
  startHub,
  USERS_V1,
  type Hub,
} from '../test-kit.ts';

let hub: Hub;

const USERS_WITH_NICKNAME = {
  file: USERS_V1.file,
  content: `${USERS_V1.content}      nickname: { type: string, nullable: true }\n`,
};

/** Every later session on the database leaves a row, outside the public schema the Hub introspects. */
const RECORD_LOGINS = `
CREATE SCHEMA audit;
CREATE TABLE audit.logins (pid int NOT NULL);
CREATE FUNCTION audit.record_login() RETURNS event_trigger LANGUAGE plpgsql AS
  'BEGIN INSERT INTO audit.logins (pid) VALUES (pg_backend_pid()); END';
CREATE EVENT TRIGGER record_login ON login EXECUTE FUNCTION audit.record_login();`;

/**
 * Sessions the Hub opened on the database since the last call, and how many are still open, not counting the
 * session that asks; the record starts afresh.
 */
async function sessions(url: string): Promise<[number, number]> {
  const rows = await sql<{ opened: number; open: number }>(
    url,
    `WITH gone AS (DELETE FROM audit.logins RETURNING pid)
     SELECT (SELECT count(*) FROM gone WHERE pid <> pg_backend_pid())::int AS opened,
       (SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid())::int AS open`,
  );
  return [rows[0]?.opened ?? -1, rows[0]?.open ?? -1];
}

/** Out-of-band SQL, left out of the next count. */
async function outOfBand(url: string, text: string): Promise<void> {
  await sql(url, text);
  await sessions(url);
}

function apply(project: string, ref: string, extra: Record<string, unknown> = {}) {
  const body = { project, env: 'dev', ref, schema: [USERS_V1], permissions: PERMISSIONS_V1, ...extra };
  return hub.call('POST', '/api/apply', body, { token: hub.owner });
}

describe('apply connections', () => {
  before(async () => {
    hub = await startHub();
  });
  after(() => hub.close());

  test('an apply with plan, drift gate, DDL and re-baseline opens the project database once', async () => {
    const { project, urls } = await createProject(hub);
    const url = String(urls.dev);
    expectOk(await apply(project, 'v1'), 'first apply baselines the database');
    await outOfBand(url, RECORD_LOGINS);
    const second = expectOk(await apply(project, 'v2', { schema: [USERS_WITH_NICKNAME] }));
    assert.deepEqual(
      (second.plan as unknown as { sql: string }[]).map((item) => item.sql),
      ['ALTER TABLE "users" ADD COLUMN "nickname" text'],
    );
    assert.deepEqual(await sessions(url), [1, 0], 'one session for planning, drift, DDL and baseline, closed');
    const drift = expectOk(await hub.call('POST', '/api/schema/drift', { project, env: 'dev' }, { token: hub.owner }));
    assert.equal(drift.drifted, false, 'the baseline was taken after the DDL committed');
  });

  test('refusals and failures after planning open the database once and close it', async () => {
    const { project, urls } = await createProject(hub);
    const url = String(urls.dev);
    expectOk(await apply(project, 'v1'));
    await outOfBand(url, RECORD_LOGINS);
    const strict = {
      file: USERS_V1.file,
      content: USERS_V1.content.replace('name: { type: string, nullable: true }', 'name: { type: string }'),
    };
    expectError(await apply(project, 'v2', { schema: [strict] }), 409, 'CONFLICT', /^destructive changes require/);
    assert.deepEqual(await sessions(url), [1, 0], 'refused without force');
    await outOfBand(url, `INSERT INTO users (id, email) VALUES ('u1', 'a@b.c')`);
    expectError(await apply(project, 'v2', { schema: [strict], force: true }), 400, 'BAD_REQUEST', /rows violate/);
    assert.deepEqual(await sessions(url), [1, 0], 'the DDL failed and rolled back');
    await outOfBand(url, 'ALTER TABLE users ADD COLUMN stray int');
    expectError(await apply(project, 'v3', { only: 'release' }), 409, 'SCHEMA_DRIFT', /extra column users\.stray$/);
    assert.deepEqual(await sessions(url), [1, 0], 'refused by the drift gate');
    const dry = expectOk(await apply(project, 'v4', { schema: [strict], force: true, dry_run: true }));
    assert.equal(dry.dry_run, true);
    assert.deepEqual(await sessions(url), [1, 0], 'a dry run');
  });

  test('the client set opens a connection once per name and ends every opened client', async () => {
    let opened = 0;
    const databases = openProjectDatabases((url) => {
      opened += 1;
      return connectDatabase(url);
    });
    const url = hub.postgres.url();
    const first = await databases.client('main', url);
    assert.equal(await databases.client('main', 'postgres://127.0.0.1:1/never-read'), first);
    const other = await databases.client('other', url);
    assert.notEqual(other, first);
    await assert.rejects(databases.client('down', 'postgres://u:p@127.0.0.1:1/none'));
    await assert.rejects(databases.client('down', url), 'a failed open is not retried within the request');
    assert.equal(opened, 3);
    await databases.close();
    await assert.rejects(first.query('SELECT 1'));
    await assert.rejects(other.query('SELECT 1'));
    await databases.close();
  });
});
