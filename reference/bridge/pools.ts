/** One bounded pg pool per database URL; pools of URLs no release names any more are closed. */
import pg from 'pg';
import { HttpError } from '../shared/http-error.ts';

export interface Pools {
  pool(url: string): pg.Pool;
  /** Closes pools whose URL is not in `keep`. */
  retain(keep: ReadonlySet<string>): void;
  closeAll(): Promise<void>;
}

export function createPools(): Pools {
  const pools = new Map<string, pg.Pool>();
  return {
    pool(url) {
      let pool = pools.get(url);
      if (!pool) {
        pool = new pg.Pool({ connectionString: url, max: 8, idleTimeoutMillis: 10_000, connectionTimeoutMillis: 5_000 });
        pool.on('error', () => undefined);
        pools.set(url, pool);
      }
      return pool;
    },
    retain(keep) {
      for (const [url, pool] of pools) {
        if (!keep.has(url)) {
          pools.delete(url);
          void pool.end().catch(() => undefined);
        }
      }
    },
    async closeAll() {
      await Promise.all([...pools.values()].map((pool) => pool.end().catch(() => undefined)));
      pools.clear();
    },
  };
}

/** A database failure as a clean envelope: never SQL text, values or URLs. */
export function databaseError(error: unknown): HttpError {
  const code = (error as { code?: unknown }).code;
  if (typeof code !== 'string') return new HttpError('SERVICE_UNAVAILABLE', 'project database unreachable');
  if (code === '23505') return new HttpError('CONFLICT', 'a row with this unique value already exists');
  if (code.startsWith('23')) return new HttpError('BAD_REQUEST', 'the values violate a database constraint');
  if (code.startsWith('22')) return new HttpError('BAD_REQUEST', 'a value is invalid for its column');
  if (code.startsWith('08') || code === '57P01' || code === '53300') return new HttpError('SERVICE_UNAVAILABLE', 'project database unreachable');
  return new HttpError('INTERNAL_ERROR', 'database error');
}
