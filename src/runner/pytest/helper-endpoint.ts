/**
 * The runner's loopback endpoint for the pytest processes of a run, for what
 * Python's standard library cannot do alone: `POST /sql` (PostgreSQL, see
 * sql-route.ts) and, when `stk` runs in a container, `POST /stk` (see
 * stk-route.ts). Only a caller with the run's bearer token (written to the
 * stack description file, mode 0600) gets in; it listens on 127.0.0.1 for the
 * length of the run.
 */
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface HelperEndpoint {
  /** Base URL: routes are `<url>/sql` and `<url>/stk`. */
  readonly url: string;
  readonly token: string;
  close(): Promise<void>;
}

/** A route reads the parsed JSON body and answers a JSON value (errors are answers too). */
export type Route = (body: unknown) => Promise<unknown>;

const BODY_LIMIT = 4 * 1024 * 1024;

export async function startHelperEndpoint(routes: Readonly<Record<string, Route>>): Promise<HelperEndpoint> {
  const token = randomBytes(24).toString('base64url');
  const expected = Buffer.from(`Bearer ${token}`);
  const server = createServer((request, response) => {
    const given = Buffer.from(request.headers.authorization ?? '');
    const route = request.method === 'POST' ? routes[request.url ?? ''] : undefined;
    if (route === undefined)
      return answer(response, 404, { ok: false, error: `only POST ${Object.keys(routes).join(', ')}` });
    if (given.length !== expected.length || !timingSafeEqual(given, expected))
      return answer(response, 401, { ok: false, error: 'unauthorised' });
    void readBody(request)
      .then((text) => route(JSON.parse(text) as unknown))
      .then(
        (body) => answer(response, 200, body),
        (error: unknown) =>
          answer(response, 400, { ok: false, error: error instanceof Error ? error.message : String(error) }),
      );
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    token,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

function answer(response: ServerResponse, status: number, body: unknown): void {
  response.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
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
