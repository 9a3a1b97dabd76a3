/**
 * The MCP server of `stk mcp`: the SDK's `Server` with the six tools. Each
 * `tools/call` runs under a time limit, reads the release through the Hub
 * (so the operator's role is checked on every call), and every answer,
 * result or error, passes the redactor last.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { Server } from '@modelcontextprotocol/sdk/server/index.js';
import { CallToolRequestSchema, ListToolsRequestSchema } from '@modelcontextprotocol/sdk/types.js';
import type { ServerDeps } from './prepare.ts';
import { REDACTED, type Redactor } from './redact.ts';
import { internal, timedOut, ToolError, unknownTool } from './tool-error.ts';
import { checkArguments, findTool, listedTools, type ToolSpec } from './tools.ts';

export const SERVER_INFO = { name: 'santokit', version: '0.1.0' } as const;

export function createMcpServer(deps: ServerDeps): Server {
  const instructions = `Read-only description of the Santokit release that ${deps.scope.project}/${deps.scope.env} currently serves.`;
  const server = new Server(SERVER_INFO, { capabilities: { tools: {} }, instructions });
  server.setRequestHandler(ListToolsRequestSchema, () => ({ tools: listedTools() }));
  server.setRequestHandler(CallToolRequestSchema, (request) =>
    callTool(deps, request.params.name, request.params.arguments ?? {}),
  );
  return server;
}

/** The documented result shape at the top level (as Santokit answers), and the MCP content blocks a standard client reads. */
function toolResult(value: Readonly<Record<string, unknown>>) {
  return { content: [{ type: 'text' as const, text: JSON.stringify(value) }], structuredContent: value, ...value };
}

async function callTool(deps: ServerDeps, name: string, args: Readonly<Record<string, unknown>>) {
  const controller = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  const limit = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => {
      controller.abort();
      reject(timedOut(deps.timeLimitMs));
    }, deps.timeLimitMs);
  });
  try {
    const tool = findTool(name);
    if (tool === undefined) throw unknownTool(name);
    return toolResult(deps.redactor.value(await Promise.race([execute(deps, tool, args, controller.signal), limit])));
  } catch (error) {
    throw cleanError(deps.redactor, error);
  } finally {
    clearTimeout(timer);
    controller.abort();
  }
}

/** Precedence of plan/spec/errors.md: the role (Hub) before the arguments, the arguments before existence. */
async function execute(deps: ServerDeps, tool: ToolSpec, args: Readonly<Record<string, unknown>>, signal: AbortSignal) {
  if (deps.delayMs > 0) await sleep(deps.delayMs, undefined, { signal });
  const release = await deps.source.current(signal);
  checkArguments(tool, args);
  return tool.run(release, args, deps.scope);
}

function cleanError(redactor: Redactor, error: unknown): ToolError {
  const known = error instanceof ToolError ? error : internal(error instanceof Error ? error.message : String(error));
  if (redactor.text(known.message) === known.message) return known;
  return new ToolError(known.code, REDACTED, known.data?.code);
}
