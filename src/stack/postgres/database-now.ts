/**
 * The Hub's database on a shared server (`--db url`) for the moments nothing
 * may wait: the second Ctrl-C, the process's `exit`, and the next run's sweep.
 *
 * A server is someone else's, so the rules are narrower than for a container:
 * - the ledger names the server without its password (`user@host:port`), so
 *   dropping needs credentials this process was given for that very server
 *   (`rememberServer`: its own run, or a later run with `--db url` there);
 *   without them the entry stays in the ledger for a run that has them;
 * - only a name this tool makes (`santokit_hub_` and eight letters or digits)
 *   is ever dropped, and only because a dead run's ledger lists it: the
 *   server is never searched for names that look like ours, since a run on
 *   another machine may be using one right now.
 */
import { execFileSync } from 'node:child_process';
import { createRequire } from 'node:module';

/** What a run names its Hub database on a shared server (process-stack.ts). */
export const HUB_DATABASE_PREFIX = 'santokit_hub_';
const HUB_DATABASE_NAME = /^santokit_hub_[a-z0-9]{8}$/;
const DROP_TIMEOUT_MS = 10_000;

/** Credentials by server identity, in this process's memory only. */
const servers = new Map<string, string>();

/** Thrown when a database cannot be dropped by this process (no credentials for its server): keep it listed. */
export class NeedsCredentialsError extends Error {}

/** `user@host:port` of a PostgreSQL URL: what the ledger may say about a server (no password, no database). */
export function serverOf(url: string): string {
  const parsed = new URL(url);
  const host = parsed.hostname || parsed.searchParams.get('host') || 'localhost';
  return `${decodeURIComponent(parsed.username)}@${host}:${parsed.port || '5432'}`;
}

/** This process may drop its databases on the server `adminUrl` names (with the rights that URL has). */
export function rememberServer(adminUrl: string): void {
  servers.set(serverOf(adminUrl), adminUrl);
}

export function isHubDatabaseName(name: string): boolean {
  return HUB_DATABASE_NAME.test(name);
}

/**
 * Drops `name` on `server` at once, synchronously (a short child process: the
 * driver has no synchronous API). False when the name is not one of ours;
 * throws NeedsCredentialsError without credentials for the server, and an
 * Error when the server did not answer or refused.
 */
export function dropDatabaseNow(server: string, name: string): boolean {
  if (!isHubDatabaseName(name)) return false;
  const adminUrl = servers.get(server);
  if (adminUrl === undefined) throw new NeedsCredentialsError(`no credentials for ${server}`);
  // The URL travels in the environment, never in argv, where `ps` would show its password.
  execFileSync(process.execPath, ['-e', DROP_SCRIPT], {
    env: { PATH: process.env.PATH, STK_IT_PG: PG_MODULE, STK_IT_ADMIN_URL: adminUrl, STK_IT_DATABASE: name },
    stdio: 'ignore',
    timeout: DROP_TIMEOUT_MS,
  });
  return true;
}

const PG_MODULE = createRequire(import.meta.url).resolve('pg');

/** CommonJS for `node -e`: connect, drop (closing the Hub's connections), exit 1 on any failure. */
const DROP_SCRIPT = `
const { Client } = require(process.env.STK_IT_PG);
const client = new Client({ connectionString: process.env.STK_IT_ADMIN_URL, connectionTimeoutMillis: 5000 });
const name = '"' + process.env.STK_IT_DATABASE.replaceAll('"', '""') + '"';
client.on('error', () => undefined);
client.connect()
  .then(() => client.query('DROP DATABASE IF EXISTS ' + name + ' WITH (FORCE)'))
  .then(() => client.end(), () => process.exit(1));
`;
