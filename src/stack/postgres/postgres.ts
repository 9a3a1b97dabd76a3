/**
 * The stack's PostgreSQL, whatever runs it: URLs from the runner's side and
 * from the services' side, and admin helpers over the wire protocol.
 */
import pg from 'pg';
import type { StartedService } from '../service.ts';

export interface StackPostgres {
  /** Maintenance database URL as the runner reaches it. */
  readonly adminUrl: string;
  runnerUrl(name: string): string;
  /** As the Hub and Bridge reach it (differs under compose). */
  serviceUrl(name: string): string;
  /** The server process, when the stack runs it itself. */
  readonly service?: StartedService;
}

/** `url` with its database name replaced by `name`. */
export function withDatabase(url: string, name: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${encodeURIComponent(name)}`;
  return parsed.toString();
}

/** A Postgres whose URLs are the same from everywhere (embedded, DATABASE_URL). */
export function samePostgresEverywhere(adminUrl: string): StackPostgres {
  return {
    adminUrl,
    runnerUrl: (name) => withDatabase(adminUrl, name),
    serviceUrl: (name) => withDatabase(adminUrl, name),
  };
}

export function quoteIdentifier(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}

const CONNECT_TIMEOUT_MS = 5_000;

async function withClient<T>(url: string, use: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: CONNECT_TIMEOUT_MS });
  // An idle client whose server goes away emits 'error'; it must not crash the run.
  client.on('error', () => undefined);
  await client.connect();
  try {
    return await use(client);
  } finally {
    await client.end().catch(() => undefined);
  }
}

/** Creates database `name` unless it exists. */
export async function ensureDatabase(adminUrl: string, name: string): Promise<void> {
  await withClient(adminUrl, async (client) => {
    const found = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    if (found.rowCount === 0) await client.query(`CREATE DATABASE ${quoteIdentifier(name)}`);
  });
}

/** Drops database `name`, closing its connections first. */
export async function dropDatabase(adminUrl: string, name: string): Promise<void> {
  await withClient(adminUrl, async (client) => {
    await client.query(`DROP DATABASE IF EXISTS ${quoteIdentifier(name)} WITH (FORCE)`);
  });
}
