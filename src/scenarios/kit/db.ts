/**
 * The runner's own handle on PostgreSQL: per-project databases, direct reads
 * to check what the services wrote, and out-of-band changes (drift).
 */
import pg from 'pg';
import type { Transcript } from '../../model/transcript.ts';
import type { StackHandles } from '../../stack/types.ts';

export interface ProjectDatabase {
  readonly name: string;
  /** As the runner reaches it. */
  readonly runnerUrl: string;
  /** As the Hub and Bridge reach it: what `stk connections set` is given. */
  readonly serviceUrl: string;
}

export interface AdminDatabase {
  create(name: string): Promise<ProjectDatabase>;
  query<Row extends Record<string, unknown> = Record<string, unknown>>(
    database: string,
    text: string,
    values?: readonly unknown[],
  ): Promise<Row[]>;
}

const SAFE_NAME = /^[a-z_][a-z0-9_]{0,62}$/;

export function createAdminDatabase(stack: StackHandles, transcript: Transcript): AdminDatabase {
  const run = async (database: string, url: string, text: string, values: readonly unknown[] = []) => {
    const client = new pg.Client({ connectionString: url });
    // A server that goes away emits 'error' on the client; the failed query reports it, the run must not crash.
    client.on('error', () => undefined);
    const started = performance.now();
    try {
      await client.connect();
      const result = await client.query(text, [...values]);
      transcript.record({
        kind: 'sql',
        at: Date.now(),
        database,
        text,
        rowCount: result.rowCount,
        durationMs: Math.round(performance.now() - started),
      });
      return result.rows as Record<string, unknown>[];
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      transcript.record({
        kind: 'sql',
        at: Date.now(),
        database,
        text,
        rowCount: null,
        error: message,
        durationMs: Math.round(performance.now() - started),
      });
      throw error;
    } finally {
      await client.end().catch(() => undefined);
    }
  };
  return {
    async create(name) {
      if (!SAFE_NAME.test(name)) throw new Error(`database name '${name}' must match ${SAFE_NAME}`);
      await run('postgres', stack.adminDatabaseUrl, `CREATE DATABASE "${name}"`);
      return { name, runnerUrl: stack.runnerDatabaseUrl(name), serviceUrl: stack.serviceDatabaseUrl(name) };
    },
    query: async <Row extends Record<string, unknown>>(database: string, text: string, values?: readonly unknown[]) =>
      (await run(database, stack.runnerDatabaseUrl(database), text, values)) as Row[],
  };
}
