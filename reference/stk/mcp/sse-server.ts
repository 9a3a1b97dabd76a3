/**
 * `stk mcp start`: MCP over HTTP with the SSE transport, on loopback only.
 * `GET /sse` opens a session (its own SDK `Server`) whose first event names
 * the `POST /messages?sessionId=…` endpoint; every other path is 404, and a
 * Host header that is not a loopback name is refused (DNS rebinding).
 */
import { createServer, type IncomingMessage, type Server as HttpServer, type ServerResponse } from 'node:http';
import { SSEServerTransport } from '@modelcontextprotocol/sdk/server/sse.js';
import type { Server } from '@modelcontextprotocol/sdk/server/index.js';
import { CliError } from '../client.ts';
import { MCP_HOST } from './defaults.ts';
const KEEP_ALIVE_MS = 15_000;
const LOOPBACK_NAMES = new Set(['127.0.0.1', 'localhost', '[::1]']);

export interface SseServer {
  readonly port: number;
  close(): Promise<void>;
}

function plain(res: ServerResponse, status: number, text: string): void {
  res.writeHead(status, { 'content-type': 'text/plain; charset=utf-8' }).end(`${text}\n`);
}

function loopbackHost(req: IncomingMessage): boolean {
  const host = (req.headers.host ?? '').toLowerCase();
  const name = host.startsWith('[') ? host.slice(0, host.indexOf(']') + 1) : host.split(':')[0];
  return name !== undefined && LOOPBACK_NAMES.has(name);
}

/** Listens on 127.0.0.1:`port` (0: a free one); one MCP session per open `GET /sse`. */
export async function startSseServer(port: number, createSession: () => Server): Promise<SseServer> {
  const sessions = new Map<string, SSEServerTransport>();
  const http = createServer((req, res) => {
    void route(req, res, sessions, createSession).catch((error: unknown) => {
      if (!res.headersSent) plain(res, 500, `internal error: ${(error as Error).message}`);
    });
  });
  await listen(http, port);
  const address = http.address();
  return {
    port: typeof address === 'object' && address !== null ? address.port : port,
    async close() {
      for (const transport of sessions.values()) await transport.close();
      http.closeAllConnections();
      await new Promise<void>((resolve) => http.close(() => resolve()));
    },
  };
}

async function route(
  req: IncomingMessage,
  res: ServerResponse,
  sessions: Map<string, SSEServerTransport>,
  createSession: () => Server,
): Promise<void> {
  if (!loopbackHost(req)) return plain(res, 403, 'forbidden: the Host header must name a loopback address');
  const url = new URL(req.url ?? '/', 'http://localhost');
  if (url.pathname === '/sse' && req.method === 'GET') return openSession(res, sessions, createSession);
  if (url.pathname === '/messages' && req.method === 'POST') {
    const transport = sessions.get(url.searchParams.get('sessionId') ?? '');
    if (transport === undefined) return plain(res, 404, 'unknown session: open GET /sse first');
    return transport.handlePostMessage(req, res);
  }
  plain(res, 404, 'not found: the MCP endpoint is GET /sse');
}

async function openSession(
  res: ServerResponse,
  sessions: Map<string, SSEServerTransport>,
  createSession: () => Server,
): Promise<void> {
  const transport = new SSEServerTransport('/messages', res);
  sessions.set(transport.sessionId, transport);
  // Comment frames keep proxies and clients from timing out an idle stream.
  const keepAlive = setInterval(() => res.write(': keep-alive\n\n'), KEEP_ALIVE_MS);
  keepAlive.unref();
  transport.onclose = () => {
    clearInterval(keepAlive);
    sessions.delete(transport.sessionId);
  };
  await createSession().connect(transport);
}

function listen(http: HttpServer, port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    http.once('error', (error: NodeJS.ErrnoException) => {
      if (error.code === 'EADDRINUSE') reject(new CliError(`port already in use: ${MCP_HOST}:${port}`));
      else reject(new CliError(`failed to bind port ${port}: ${error.message}`));
    });
    http.listen(port, MCP_HOST, () => resolve());
  });
}
