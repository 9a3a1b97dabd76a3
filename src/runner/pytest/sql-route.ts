/**
 * `POST /sql` of the helper endpoint: `{ "database", "text", "values"? }`
 * runs as the stack's admin role in the stack's own throwaway PostgreSQL,
 * which is what the harness's database container gives its tests. Several
 * statements are allowed without `values`. Answer `{ "ok": true, "results":
 * [{ "command", "rowCount", "fields", "rows" }] }` (values as PostgreSQL's
 * text) or `{ "ok": false, "error", "code"? }` (the SQLSTATE).
 */
import pg from 'pg';
import type { Route } from './helper-endpoint.ts';

const DATABASE_NAME = /^[A-Za-z_][A-Za-z0-9_]{0,62}$/;
const asText = { getTypeParser: () => (value: string) => value };

interface SqlRequest {
  readonly database: string;
  readonly text: string;
  readonly values?: readonly unknown[];
}

export function createSqlRoute(databaseUrl: (name: string) => string): Route {
  return async (body) => {
    const request = parseRequest(body);
    const client = new pg.Client({ connectionString: databaseUrl(request.database), types: asText });
    try {
      await client.connect();
      const raw: unknown = await client.query({
        text: request.text,
        values: request.values ? [...request.values] : [],
        rowMode: 'array',
      });
      const results = (Array.isArray(raw) ? raw : [raw]) as pg.QueryArrayResult[];
      return {
        ok: true,
        results: results.map((result) => ({
          command: result.command,
          rowCount: result.rowCount,
          fields: result.fields.map((field) => field.name),
          rows: result.rows,
        })),
      };
    } catch (error) {
      const code = (error as { code?: unknown }).code;
      return {
        ok: false,
        error: error instanceof Error ? error.message : String(error),
        ...(typeof code === 'string' ? { code } : {}),
      };
    } finally {
      await client.end().catch(() => undefined);
    }
  };
}

function parseRequest(value: unknown): SqlRequest {
  const body = (typeof value === 'object' && value !== null ? value : {}) as Partial<SqlRequest>;
  if (typeof body.database !== 'string' || !DATABASE_NAME.test(body.database))
    throw new Error('database must be a plain PostgreSQL name');
  if (typeof body.text !== 'string' || body.text.trim() === '') throw new Error('text must be SQL');
  if (body.values !== undefined && !Array.isArray(body.values)) throw new Error('values must be a list');
  return { database: body.database, text: body.text, ...(body.values ? { values: body.values } : {}) };
}
