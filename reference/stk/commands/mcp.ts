/**
 * `stk mcp run` (stdio) and `stk mcp start [--port]` (HTTP, SSE). The server
 * itself (mcp/serve.ts, on the MCP SDK) is loaded only once the start-up
 * check has passed, so no other command, and no refused start, pays for it.
 */
import type { Command } from 'commander';
import type { Io } from '../command-kit.ts';
import { DEFAULT_MCP_PORT, MCP_HOST } from '../mcp/defaults.ts';
import { parsePort, prepare } from '../mcp/prepare.ts';

type Flags = Readonly<Record<string, unknown>>;

export function registerMcpCommands(program: Command, io: Io): void {
  const mcp = program.command('mcp').description('Model Context Protocol server over the current release (read-only)');
  const scoped = (command: Command) =>
    command.option('--project <project>').option('--env <env>').option('--hub <url>');
  scoped(mcp.command('run').description('serve MCP on stdin/stdout')).action(async (flags: Flags) => {
    const deps = await prepare(flags, io);
    await (await import('../mcp/serve.ts')).runStdio(deps);
  });
  scoped(mcp.command('start').description(`serve MCP over HTTP (SSE at http://${MCP_HOST}:<port>/sse)`))
    .option('--port <port>', `port on ${MCP_HOST} (default ${DEFAULT_MCP_PORT}; 0 picks a free one)`)
    .action(async (flags: Flags) => {
      const port = parsePort(flags.port);
      const deps = await prepare(flags, io);
      await (await import('../mcp/serve.ts')).runHttp(deps, port, io);
    });
}
