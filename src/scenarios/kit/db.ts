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

/**
 * Connections are pooled per stack and database URL: a scenario's reads reuse
 * one connection, and every scenario's CREATE DATABASE goes through the same
 * few on `postgres` (a new PostgreSQL connection costs a backend start and a
 * SCRAM exchange on both sides). Idle ones close after a second and never keep
 * the run alive; one the server drops is replaced on the next query.
 */
const pools = new WeakMap<StackHandles, Map<string, pg.Pool>>();

function poolFor(stack: StackHandles, url: string): pg.Pool {
  let byUrl = pools.get(stack);
  if (byUrl === undefined) pools.set(stack, (byUrl = new Map()));
  let pool = byUrl.get(url);
  if (pool === undefined) {
    pool = new pg.Pool({ connectionString: url, max: 4, idleTimeoutMillis: 1_000, allowExitOnIdle: true });
    // A server that goes away emits 'error' on an idle client; the next query reports it, the run must not crash.
    pool.on('error', () => undefined);
    byUrl.set(url, pool);
  }
  return pool;
}

/**
 * How a new database copies its template: with `fsync` off (the embedded
 * stack) a file copy's checkpoints cost nothing and it takes half the CPU of
 * PostgreSQL's default, WAL-logged copy; elsewhere, and before PostgreSQL 15
 * (no STRATEGY clause), the server's default.
 */
const strategies = new WeakMap<StackHandles, Promise<string>>();

function createStrategy(stack: StackHandles): Promise<string> {
  let strategy = strategies.get(stack);
  if (strategy === undefined) {
    strategy = poolFor(stack, stack.adminDatabaseUrl)
      .query<{ file_copy: boolean }>(
        `SELECT current_setting('server_version_num')::int >= 150000 AND current_setting('fsync') = 'off' AS file_copy`,
      )
      .then(({ rows }) => (rows[0]?.file_copy === true ? ' STRATEGY FILE_COPY' : ''));
    strategy.catch(() => strategies.delete(stack));
    strategies.set(stack, strategy);
  }
  return strategy;
}

export function createAdminDatabase(stack: StackHandles, transcript: Transcript): AdminDatabase {
  const run = async (database: string, url: string, text: string, values: readonly unknown[] = []) => {
    const started = performance.now();
    try {
      const result = await poolFor(stack, url).query(text, [...values]);
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
    }
  };
  return {
    async create(name) {
      if (!SAFE_NAME.test(name)) throw new Error(`database name '${name}' must match ${SAFE_NAME}`);
      const strategy = await createStrategy(stack);
      stack.adoptDatabase?.(name);
      await run('postgres', stack.adminDatabaseUrl, `CREATE DATABASE "${name}"${strategy}`);
      return { name, runnerUrl: stack.runnerDatabaseUrl(name), serviceUrl: stack.serviceDatabaseUrl(name) };
    },
    query: async <Row extends Record<string, unknown>>(database: string, text: string, values?: readonly unknown[]) =>
      (await run(database, stack.runnerDatabaseUrl(database), text, values)) as Row[],
  };
}
