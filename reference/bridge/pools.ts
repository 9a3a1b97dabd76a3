/**
 * One bounded pg pool per database URL. When the set of URLs named by the
 * cached releases changes (apply, promote, rollback, a changed connection),
 * pools of URLs no longer named are closed; their in-flight statements finish.
 */
import pg from 'pg';

// `timestamp` columns hold UTC wall-clock time without a zone (the Hub maps the declared type to
// PostgreSQL's `timestamp`): sessions run in UTC, and such values are read back as UTC instants.
const TIMESTAMP_WITHOUT_ZONE = 1114;
pg.types.setTypeParser(TIMESTAMP_WITHOUT_ZONE, (text) => {
  const instant = new Date(`${text.replace(' ', 'T')}Z`);
  return Number.isNaN(instant.getTime()) ? text : instant;
});

export interface PoolOptions {
  /** Connections per database (default 10). */
  readonly max?: number;
  readonly connectionTimeoutMs?: number;
  readonly statementTimeoutMs?: number;
}

export interface Pools {
  pool(url: string): pg.Pool;
  /** Closes the pools whose URL is not in `keep`. */
  retain(keep: ReadonlySet<string>): void;
  /** URLs with an open pool. */
  urls(): string[];
  closeAll(): Promise<void>;
}

export function createPools(options: PoolOptions = {}): Pools {
  const pools = new Map<string, pg.Pool>();
  const closing = new Set<Promise<void>>();
  const close = (url: string, pool: pg.Pool) => {
    pools.delete(url);
    const done = pool.end().catch(() => undefined);
    closing.add(done);
    void done.finally(() => closing.delete(done));
  };
  return {
    pool(url) {
      let pool = pools.get(url);
      if (!pool) {
        pool = new pg.Pool({
          connectionString: url,
          max: options.max ?? 10,
          idleTimeoutMillis: 10_000,
          connectionTimeoutMillis: options.connectionTimeoutMs ?? 5_000,
          statement_timeout: options.statementTimeoutMs ?? 30_000,
          options: '-c TimeZone=UTC',
        });
        // An idle client losing its connection must not crash the process; the next query reconnects.
        pool.on('error', () => undefined);
        pools.set(url, pool);
      }
      return pool;
    },
    retain(keep) {
      for (const [url, pool] of pools) if (!keep.has(url)) close(url, pool);
    },
    urls: () => [...pools.keys()],
    async closeAll() {
      for (const [url, pool] of pools) close(url, pool);
      await Promise.all([...closing]);
    },
  };
}
