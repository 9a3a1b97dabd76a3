/** The Hub's own state in PostgreSQL: tables created idempotently at start, parameterised queries only. */
import pg from 'pg';

const TABLES = `
CREATE TABLE IF NOT EXISTS hub_operators (email text PRIMARY KEY, password_hash text NOT NULL, created_at timestamptz NOT NULL DEFAULT now());
CREATE TABLE IF NOT EXISTS hub_org_members (email text PRIMARY KEY, role text NOT NULL, status text NOT NULL, created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now());
CREATE TABLE IF NOT EXISTS hub_project_members (project text NOT NULL, email text NOT NULL, role text NOT NULL, status text NOT NULL, created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(), PRIMARY KEY (project, email));
CREATE TABLE IF NOT EXISTS hub_projects (name text PRIMARY KEY, created_at timestamptz NOT NULL DEFAULT now());
CREATE TABLE IF NOT EXISTS hub_envs (project text NOT NULL REFERENCES hub_projects(name), name text NOT NULL, created_at timestamptz NOT NULL DEFAULT now(), PRIMARY KEY (project, name));
CREATE TABLE IF NOT EXISTS hub_connections (project text NOT NULL, env text NOT NULL, name text NOT NULL, engine text NOT NULL, sealed_url text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(), updated_at timestamptz NOT NULL DEFAULT now(), PRIMARY KEY (project, env, name));
CREATE TABLE IF NOT EXISTS hub_releases (id text PRIMARY KEY, project text NOT NULL, env text NOT NULL, ref text NOT NULL, content_hash text NOT NULL,
  body jsonb NOT NULL, created_at timestamptz NOT NULL DEFAULT clock_timestamp());
CREATE UNIQUE INDEX IF NOT EXISTS hub_releases_content ON hub_releases (project, env, ref, content_hash);
CREATE TABLE IF NOT EXISTS hub_release_pointers (project text NOT NULL, env text NOT NULL, release_id text NOT NULL, updated_at timestamptz NOT NULL DEFAULT now(), PRIMARY KEY (project, env));
CREATE TABLE IF NOT EXISTS hub_release_history (seq bigserial PRIMARY KEY, project text NOT NULL, env text NOT NULL, release_id text NOT NULL, action text NOT NULL,
  actor text NOT NULL, at timestamptz NOT NULL DEFAULT clock_timestamp());
ALTER TABLE hub_org_members ADD COLUMN IF NOT EXISTS created_at timestamptz NOT NULL DEFAULT now();
ALTER TABLE hub_project_members ADD COLUMN IF NOT EXISTS created_at timestamptz NOT NULL DEFAULT now();
CREATE TABLE IF NOT EXISTS hub_api_keys (id text PRIMARY KEY, project text NOT NULL, env text NOT NULL, name text NOT NULL, secret_hash text NOT NULL, roles jsonb NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(), revoked_at timestamptz, UNIQUE (project, env, name));
CREATE TABLE IF NOT EXISTS hub_end_users (project text NOT NULL, env text NOT NULL, email text NOT NULL, sub text NOT NULL UNIQUE, password_hash text NOT NULL,
  roles jsonb NOT NULL, created_at timestamptz NOT NULL DEFAULT now(), PRIMARY KEY (project, env, email));
CREATE TABLE IF NOT EXISTS hub_oidc_providers (project text NOT NULL, env text NOT NULL, name text NOT NULL, issuer text NOT NULL, client_id text NOT NULL,
  sealed_client_secret text NOT NULL, redirect_uris jsonb NOT NULL, authorization_endpoint text NOT NULL, token_endpoint text NOT NULL, jwks_uri text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(), PRIMARY KEY (project, env, name));
CREATE TABLE IF NOT EXISTS hub_oidc_states (state text PRIMARY KEY, project text NOT NULL, env text NOT NULL, provider text NOT NULL, mode text NOT NULL, sub text,
  redirect_uri text NOT NULL, callback_url text NOT NULL, nonce text NOT NULL, code_verifier text NOT NULL, exchange_ttl_ms integer NOT NULL, expires_at timestamptz NOT NULL);
CREATE TABLE IF NOT EXISTS hub_oidc_exchange_codes (code text PRIMARY KEY, project text NOT NULL, env text NOT NULL, provider text NOT NULL, mode text NOT NULL, sub text,
  subject text NOT NULL, expires_at timestamptz NOT NULL, consumed_at timestamptz);
CREATE TABLE IF NOT EXISTS hub_oidc_links (project text NOT NULL, env text NOT NULL, provider text NOT NULL, subject text NOT NULL, sub text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(), PRIMARY KEY (project, env, provider, subject));
CREATE TABLE IF NOT EXISTS hub_schema_baselines (project text NOT NULL, env text NOT NULL, connection text NOT NULL, snapshot jsonb NOT NULL,
  taken_at timestamptz NOT NULL DEFAULT now(), PRIMARY KEY (project, env, connection));
`;

export interface Store {
  query<Row extends Record<string, unknown> = Record<string, unknown>>(
    text: string,
    values?: readonly unknown[],
  ): Promise<Row[]>;
  /** Runs `work` in one transaction on one client. */
  transaction<T>(work: (query: Store['query']) => Promise<T>): Promise<T>;
  ping(): Promise<void>;
  close(): Promise<void>;
}

/** Two Hubs starting on one database race on CREATE TABLE; the advisory lock serialises them. */
async function migrate(pool: pg.Pool): Promise<void> {
  const client = await pool.connect();
  try {
    await client.query('SELECT pg_advisory_lock(7291001)');
    await client.query(TABLES);
    await client.query('SELECT pg_advisory_unlock(7291001)');
  } finally {
    client.release();
  }
}

export async function openStore(url: string): Promise<Store> {
  const pool = new pg.Pool({ connectionString: url, max: 10, connectionTimeoutMillis: 5_000 });
  pool.on('error', () => undefined); // an idle client dropped by the server; the next query reconnects
  await migrate(pool);
  const query: Store['query'] = async (text, values = []) => (await pool.query(text, [...values])).rows;
  return {
    query,
    async transaction(work) {
      const client = await pool.connect();
      try {
        await client.query('BEGIN');
        const result = await work(async (text, values = []) => (await client.query(text, [...values])).rows);
        await client.query('COMMIT');
        return result;
      } catch (error) {
        await client.query('ROLLBACK').catch(() => undefined);
        throw error;
      } finally {
        client.release();
      }
    },
    ping: async () => void (await pool.query('SELECT 1')),
    close: () => pool.end(),
  };
}
