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

  for (const [stage, template] of [['initdb', 'off'], ['the server start', 'on']] as const) {
    it(`is interruptible during ${stage}, and cleans up`, async () => {
      const saved = process.env.STK_IT_PG_TEMPLATE;
      process.env.STK_IT_PG_TEMPLATE = template;
      const teardowns = createTeardownStack();
      const controller = new AbortController();
      const dirs = new Set<string>();
      const onLine = (service: string, line: string) => {
        for (const match of line.matchAll(/\/\S*santokit-it-pg-\w+/g)) dirs.add(match[0]);
        if (service === (template === 'off' ? 'postgres-initdb' : 'postgres')) controller.abort(new Error('SIGINT'));
      };
      try {
        await assert.rejects(startEmbeddedPostgres({ teardowns, signal: controller.signal, onLine }), /SIGINT/);
      } finally {
        process.env.STK_IT_PG_TEMPLATE = saved;
        if (saved === undefined) delete process.env.STK_IT_PG_TEMPLATE;
      }
      assert.deepEqual(await teardowns.runAll(), []);
      assert.ok(dirs.size > 0, 'the output named the cluster directory');
      assert.deepEqual([...dirs].filter(existsSync), []);
    });
  }
});
