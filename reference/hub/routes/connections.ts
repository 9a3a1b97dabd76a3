/** Connections per project/env: URLs sealed at rest and only ever shown redacted. */
import pg from 'pg';
import { redactUrl } from '../crypto.ts';
import type { HubApp, HubDeps } from '../deps.ts';
import { badRequest, notFound } from '../../shared/http-error.ts';
import { CONNECTION_NAME, name, queryParam, str } from '../http.ts';
import { scopedBody, scopedQuery } from './scope.ts';
import { connectionsOf, requireEnv, type ConnectionRow } from './lookup.ts';

const TEST_TIMEOUT_MS = 5_000;

function view(row: ConnectionRow, open: (sealed: string) => string) {
  return {
    name: row.name,
    engine: row.engine,
    redacted_url: redactUrl(open(row.sealed_url)),
    created_at: row.created_at,
    updated_at: row.updated_at,
  };
}

function checkUrl(url: string): void {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw badRequest('db_url is not a valid URL');
  }
  if (parsed.protocol !== 'postgres:' && parsed.protocol !== 'postgresql:')
    throw badRequest('db_url must be a postgres:// or postgresql:// URL');
}

/** Opens the database and runs SELECT 1 within the limit; the error never carries the URL. */
export async function testConnection(url: string): Promise<boolean> {
  const client = new pg.Client({
    connectionString: url,
    connectionTimeoutMillis: TEST_TIMEOUT_MS,
    query_timeout: TEST_TIMEOUT_MS,
  });
  client.on('error', () => undefined);
  try {
    await client.connect();
    await client.query('SELECT 1');
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => undefined);
  }
}

export function registerConnectionRoutes(app: HubApp, deps: HubDeps): void {
  const { store, sealer } = deps;
  const open = (sealed: string) => sealer.open(sealed);
  const find = async (project: string, env: string, connection: string) => {
    const row = (await connectionsOf(store, project, env)).find((candidate) => candidate.name === connection);
    if (!row) throw notFound('connection not found');
    return row;
  };

  app.post('/api/connections/set', async (c) => {
    const { body, project, env } = await scopedBody(c, deps, 'admin');
    const connection = name(body, 'name', CONNECTION_NAME);
    const engine = str(body, 'engine');
    const url = str(body, 'db_url');
    if (engine !== 'postgres') throw badRequest(`engine '${engine.slice(0, 32)}' is not supported: use postgres`);
    checkUrl(url);
    await requireEnv(store, project, env);
    await store.query(
      `INSERT INTO hub_connections (project, env, name, engine, sealed_url) VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT (project, env, name) DO UPDATE SET engine = EXCLUDED.engine, sealed_url = EXCLUDED.sealed_url, updated_at = now()`,
      [project, env, connection, engine, sealer.seal(url)],
    );
    await deps.events?.publish({ scope: 'release', project, env });
    return c.json({ ok: true, name: connection, engine, redacted_url: redactUrl(url) });
  });

  app.post('/api/connections/test', async (c) => {
    const { body, project, env } = await scopedBody(c, deps, 'admin');
    const connection = str(body, 'name');
    await requireEnv(store, project, env);
    const row = await find(project, env, connection);
    if (!(await testConnection(open(row.sealed_url)))) throw badRequest(`connection failed: ${connection}`);
    return c.json({ ok: true, name: connection });
  });

  app.get('/api/connections/list', async (c) => {
    const { project, env } = await scopedQuery(c, deps, 'admin');
    await requireEnv(store, project, env);
    return c.json((await connectionsOf(store, project, env)).map((row) => view(row, open)));
  });

  app.get('/api/connections/show', async (c) => {
    const { project, env } = await scopedQuery(c, deps, 'admin');
    await requireEnv(store, project, env);
    return c.json(view(await find(project, env, queryParam(c, 'name')), open));
  });
}
