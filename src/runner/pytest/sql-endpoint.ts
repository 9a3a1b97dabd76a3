/**
 * `POST /sql` on 127.0.0.1 for the pytest processes of a run: Python's
 * standard library has no PostgreSQL driver, the runner has one. Only a
 * caller with the run's bearer token (written to the stack description file,
 * mode 0600) gets in; statements run as the stack's admin role against the
 * stack's own throwaway PostgreSQL, which is what the harness's database
 * container gives its tests.
 *
 * Request `{ "database", "text", "values"? }`; answer `{ "ok": true,
 * "results": [{ "command", "rowCount", "fields", "rows" }] }` (values as
 * PostgreSQL's text) or `{ "ok": false, "error", "code"? }`.
 */
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import pg from 'pg';

export interface SqlEndpoint {
  readonly url: string;
  readonly token: string;
  close(): Promise<void>;
}

const DATABASE_NAME = /^[A-Za-z_][A-Za-z0-9_]{0,62}$/;
const BODY_LIMIT = 4 * 1024 * 1024;
const asText = { getTypeParser: () => (value: string) => value };

interface SqlRequest {
  readonly database: string;
  readonly text: string;
  readonly values?: readonly unknown[];
}

export async function startSqlEndpoint(databaseUrl: (name: string) => string): Promise<SqlEndpoint> {
  const token = randomBytes(24).toString('base64url');
  const expected = Buffer.from(`Bearer ${token}`);
  const server = createServer((request, response) => {
    const given = Buffer.from(request.headers.authorization ?? '');
    if (request.method !== 'POST' || request.url !== '/sql') return answer(response, 404, { ok: false, error: 'only POST /sql' });
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) return answer(response, 401, { ok: false, error: 'unauthorised' });
    void handle(request, databaseUrl).then((body) => answer(response, 200, body));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/sql`,
    token,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

function answer(response: ServerResponse, status: number, body: unknown): void {
  response.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
}

async function handle(request: IncomingMessage, databaseUrl: (name: string) => string): Promise<unknown> {
  let parsed: SqlRequest;
  try {
    parsed = parseRequest(await readBody(request));
  } catch (error) {
    return { ok: false, error: error instanceof Error ? error.message : String(error) };
  }
  const client = new pg.Client({ connectionString: databaseUrl(parsed.database), types: asText });
  try {
    await client.connect();
    const raw: unknown = await client.query({ text: parsed.text, values: parsed.values ? [...parsed.values] : [], rowMode: 'array' });
    const results = (Array.isArray(raw) ? raw : [raw]) as pg.QueryArrayResult[];
    return { ok: true, results: results.map((result) => ({ command: result.command, rowCount: result.rowCount, fields: result.fields.map((field) => field.name), rows: result.rows })) };
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    return { ok: false, error: error instanceof Error ? error.message : String(error), ...(typeof code === 'string' ? { code } : {}) };
  } finally {
    await client.end().catch(() => undefined);
  }
}

function parseRequest(text: string): SqlRequest {
  const body = JSON.parse(text) as Partial<SqlRequest>;
  if (typeof body.database !== 'string' || !DATABASE_NAME.test(body.database)) throw new Error('database must be a plain PostgreSQL name');
  if (typeof body.text !== 'string' || body.text.trim() === '') throw new Error('text must be SQL');
  if (body.values !== undefined && !Array.isArray(body.values)) throw new Error('values must be a list');
  return { database: body.database, text: body.text, ...(body.values ? { values: body.values } : {}) };
}

function readBody(request: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    request.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > BODY_LIMIT) reject(new Error('request too large'));
      else chunks.push(chunk);
    });
    request.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    request.on('error', reject);
  });
}
