/** What every CRUD op shares: its context, params access, the table's pool and statement execution. */
import pg from 'pg';
import type { ReleasePayload } from '../shared/contract.ts';
import type { Caller } from './credentials.ts';
import { badRequest, databaseError, unavailable } from './errors.ts';
import type { Table } from './model.ts';
import type { Pools } from './pools.ts';
import type { CascadeDeps } from './storage-cascade.ts';
import { isPlainObject } from './where.ts';

export type Row = Record<string, unknown>;
export type Args = Record<string, unknown>;

export interface CrudContext {
  readonly release: ReleasePayload;
  readonly caller: Caller;
  readonly pools: Pools;
  /** Object storage for file-column cascades (STORAGE-005); absent in callers that never delete. */
  readonly cascade?: CascadeDeps;
}

/** `params` absent or null is `{}`; anything else but an object is 400. */
export function argsOf(params: unknown): Args {
  if (params === undefined || params === null) return {};
  if (!isPlainObject(params)) throw badRequest('params must be an object');
  return params;
}

/** An own property of the params object (never inherited). */
export function arg(args: Args, name: string): unknown {
  return Object.hasOwn(args, name) ? args[name] : undefined;
}

export function poolFor(ctx: CrudContext, table: Table): pg.Pool {
  const connection = Object.hasOwn(ctx.release.connections, table.connection)
    ? ctx.release.connections[table.connection]
    : undefined;
  if (!connection) throw unavailable(`connection '${table.connection}' is not configured for this env`);
  return ctx.pools.pool(connection.db_url);
}

/** Runs one statement with the extended protocol (one statement, values only as parameters). */
export async function run(pool: pg.Pool, text: string, values: readonly unknown[]): Promise<pg.QueryResult<Row>> {
  try {
    return await pool.query<Row>({ text, values: [...values], queryMode: 'extended' } as pg.QueryConfig);
  } catch (error) {
    throw databaseError(error);
  }
}
