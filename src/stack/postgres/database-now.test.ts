import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import pg from 'pg';
import { createTeardownStack } from '../teardown-stack.ts';
import { dropDatabaseNow, NeedsCredentialsError, rememberServer, serverOf } from './database-now.ts';
import { startEmbeddedPostgres } from './embedded-postgres.ts';
import { ensureDatabase, type StackPostgres } from './postgres.ts';

// A real server stands for someone's shared one.
const server = createTeardownStack();
let postgres: StackPostgres;
before(async () => {
  postgres = await startEmbeddedPostgres({ teardowns: server, signal: new AbortController().signal });
});
after(() => server.runAll());

async function databaseExists(name: string): Promise<boolean> {
  const client = new pg.Client({ connectionString: postgres.adminUrl });
  await client.connect();
  try {
    return (await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name])).rowCount === 1;
  } finally {
    await client.end();
  }
}

describe('serverOf', () => {
  it('names user, host and port, never the password or the database', () => {
    assert.equal(serverOf('postgres://stk:secret@db.example:6543/app?sslmode=require'), 'stk@db.example:6543');
    assert.equal(serverOf('postgresql://stk@db.example/app'), 'stk@db.example:5432');
    assert.equal(serverOf('postgres:///app?host=/run/postgresql'), '@/run/postgresql:5432');
  });
});

describe('dropDatabaseNow', () => {
  it('needs credentials for the server, drops only names this tool makes, and drops them synchronously', async () => {
    const name = 'santokit_hub_now00001';
    await ensureDatabase(postgres.adminUrl, name);
    await ensureDatabase(postgres.adminUrl, 'not_ours');
    const at = serverOf(postgres.adminUrl);
    assert.throws(() => dropDatabaseNow(at, name), NeedsCredentialsError);
    assert.ok(await databaseExists(name));
    rememberServer(postgres.adminUrl);
    assert.equal(dropDatabaseNow(at, 'not_ours'), false);
    assert.ok(await databaseExists('not_ours'), 'a name that is not ours stays, credentials or not');
    // A Hub still connected does not stop it (WITH (FORCE)).
    const hub = new pg.Client({ connectionString: postgres.runnerUrl(name) });
    hub.on('error', () => undefined);
    await hub.connect();
    assert.equal(dropDatabaseNow(at, name), true);
    assert.equal(await databaseExists(name), false);
    await hub.end().catch(() => undefined);
  });
});
