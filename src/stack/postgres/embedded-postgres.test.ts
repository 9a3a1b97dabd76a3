import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { describe, it } from 'node:test';
import pg from 'pg';
import { isPortFree } from '../ports.ts';
import { isProcessAlive, treeMembers } from '../process-group.ts';
import { createTeardownStack } from '../teardown-stack.ts';
import { startEmbeddedPostgres } from './embedded-postgres.ts';
import { ensureDatabase } from './postgres.ts';

async function query<T extends pg.QueryResultRow>(url: string, sql: string): Promise<T[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query<T>(sql)).rows;
  } finally {
    await client.end();
  }
}

describe('startEmbeddedPostgres', () => {
  it('starts a fresh cluster and leaves nothing behind', async (t) => {
    const teardowns = createTeardownStack();
    t.after(() => teardowns.runAll());
    const begin = performance.now();
    const postgres = await startEmbeddedPostgres({ teardowns, signal: new AbortController().signal });
    const startMs = performance.now() - begin;
    await ensureDatabase(postgres.adminUrl, 'santokit_hub');
    await ensureDatabase(postgres.adminUrl, 'santokit_hub');
    const [row] = await query<{ db: string }>(postgres.runnerUrl('santokit_hub'), 'SELECT current_database() AS db');
    assert.equal(row?.db, 'santokit_hub');
    assert.equal(postgres.serviceUrl('x'), postgres.runnerUrl('x'));

    const [setting] = await query<{ dir: string }>(postgres.adminUrl, "SELECT setting AS dir FROM pg_settings WHERE name = 'data_directory'");
    const dataDir = setting?.dir ?? '';
    const postmaster = Number(readFileSync(`${dataDir}/postmaster.pid`, 'utf8').split('\n')[0]);
    const tree = treeMembers(postmaster);
    assert.ok(tree.length >= 3, 'the postmaster and its helper processes');

    assert.deepEqual(await teardowns.runAll(), []);
    assert.deepEqual(tree.filter(isProcessAlive), []);
    assert.equal(existsSync(dirname(dataDir)), false, 'temp dir removed');
    assert.equal(await isPortFree(Number(new URL(postgres.adminUrl).port)), true);
    assert.ok(startMs < 5_000, `embedded postgres took ${Math.round(startMs)} ms`);
  });

  it('is interruptible while initdb runs, and cleans up', async () => {
    const teardowns = createTeardownStack();
    const controller = new AbortController();
    setTimeout(() => controller.abort(new Error('SIGINT')), 100);
    await assert.rejects(startEmbeddedPostgres({ teardowns, signal: controller.signal }), /SIGINT/);
    assert.deepEqual(await teardowns.runAll(), []);
  });
});
