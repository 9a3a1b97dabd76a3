/**
 * `stk mcp run` and `stk mcp start` once the start-up check passed: the
 * MCP SDK's server on a line transport (stdio) or on SSE over HTTP (loaded
 * only by `start`).
 */
import type { Io } from '../command-kit.ts';
import { MCP_HOST } from './defaults.ts';
import { LineTransport } from './line-transport.ts';
import type { ServerDeps } from './prepare.ts';
import { createMcpServer } from './server.ts';
import type { SseServer } from './sse-server.ts';

export async function runStdio(deps: ServerDeps): Promise<void> {
  const transport = new LineTransport(process.stdin, process.stdout);
  const ended = new Promise<void>((resolve) => (transport.onclose = resolve));
  await createMcpServer(deps).connect(transport);
  await ended;
  deps.source.close();
}

/** Serves until SIGINT/SIGTERM, then closes every session and exits 0. */
export async function runHttp(deps: ServerDeps, port: number, io: Io): Promise<void> {
  let server: SseServer;
  try {
    // Loaded here: the SDK's SSE transport brings an HTTP body parser with every charset table, which stdio never needs.
    const { startSseServer } = await import('./sse-server.ts');
    server = await startSseServer(port, () => createMcpServer(deps));
  } catch (error) {
    deps.source.close();
    throw error;
  }
  io.out(`mcp sse listening on ${MCP_HOST}:${server.port}`);
  await new Promise<void>((resolve) => {
    // `on`, not `once`: a second signal must not kill the process while it closes its sessions.
    process.on('SIGINT', resolve);
    process.on('SIGTERM', resolve);
  });
  await server.close();
  deps.source.close();
}
