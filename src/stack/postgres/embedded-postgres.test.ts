import assert from 'node:assert/strict';
import { existsSync, readFileSync, statfsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname } from 'node:path';
import { describe, it } from 'node:test';
import pg from 'pg';
import { isPortFree } from '../ports.ts';
import { isProcessAlive, treeMembers } from '../process-group.ts';
import { createTeardownStack } from '../teardown-stack.ts';
import { clusterParent, startEmbeddedPostgres } from './embedded-postgres.ts';
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

describe('clusterParent', () => {
  it('is STK_IT_PG_DIR when set, else memory-backed /dev/shm when usable, else the temp dir', async () => {
    assert.equal(await clusterParent({ STK_IT_PG_DIR: '/somewhere/else' }), '/somewhere/else');
    const usable =
      existsSync('/dev/shm') && statfsSync('/dev/shm').bavail * statfsSync('/dev/shm').bsize >= 2 * 1024 ** 3;
    assert.equal(await clusterParent({}), usable ? '/dev/shm' : tmpdir());
  });
});

describe('startEmbeddedPostgres', () => {
  it('starts a fresh cluster and leaves nothing behind', async (t) => {
    const teardowns = createTeardownStack();
    t.after(() => teardowns.runAll());
    const postgres = await startEmbeddedPostgres({ teardowns, signal: new AbortController().signal });
    await ensureDatabase(postgres.adminUrl, 'santokit_hub');
    await ensureDatabase(postgres.adminUrl, 'santokit_hub');
    const [row] = await query<{ db: string }>(postgres.runnerUrl('santokit_hub'), 'SELECT current_database() AS db');
    assert.equal(row?.db, 'santokit_hub');
    assert.equal(postgres.serviceUrl('x'), postgres.runnerUrl('x'));

    const [setting] = await query<{ dir: string }>(
      postgres.adminUrl,
      "SELECT setting AS dir FROM pg_settings WHERE name = 'data_directory'",
    );
    const dataDir = setting?.dir ?? '';
    const [verifier] = await query<{ scheme: string }>(
      postgres.adminUrl,
      "SELECT split_part(rolpassword, ':', 1) AS scheme FROM pg_authid WHERE rolname = current_user",
    );
    assert.equal(verifier?.scheme, 'SCRAM-SHA-256$256', 'the superuser logs in with SCRAM, at 256 rounds');
    assert.ok(dataDir.startsWith(`${await clusterParent()}/santokit-it-pg-`), `data directory ${dataDir}`);
    const postmaster = Number(readFileSync(`${dataDir}/postmaster.pid`, 'utf8').split('\n')[0]);
    const tree = treeMembers(postmaster);
    assert.ok(tree.length >= 3, 'the postmaster and its helper processes');

    assert.deepEqual(await teardowns.runAll(), []);
    assert.deepEqual(tree.filter(isProcessAlive), []);
    assert.equal(existsSync(dirname(dataDir)), false, 'temp dir removed');
    assert.equal(await isPortFree(Number(new URL(postgres.adminUrl).port)), true);
  });

  for (const [stage, template] of [
    ['initdb', 'off'],
    ['the server start', 'on'],
  ] as const) {
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
