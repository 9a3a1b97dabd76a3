/**
 * Driving `stk mcp` the way an editor or an agent platform would: the MCP
 * SDK's own client over stdio (`stk mcp run`) or SSE (`stk mcp start`).
 * Every call and answer is noted in the transcript; every session and server
 * is closed by the caller's `finally` (and on the scenario's abort).
 */
import assert from 'node:assert/strict';
import { request } from 'node:http';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { SSEClientTransport } from '@modelcontextprotocol/sdk/client/sse.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js';
import type { ScenarioContext } from './context.ts';
import { startContainerRelay } from './mcp-relay.ts';
import { composeContainer, startStk, type StkProcess, type StkProcessOptions } from './stk-process.ts';

/** A tool call's answer: the result object, or the JSON-RPC error (`message` without the SDK's `MCP error <code>: ` prefix). */
export type ToolAnswer =
  | { readonly ok: true; readonly result: Readonly<Record<string, unknown>> }
  | { readonly ok: false; readonly code: number; readonly message: string; readonly data: unknown };

export interface McpSession {
  readonly client: Client;
  call(name: string, args?: Readonly<Record<string, unknown>>): Promise<ToolAnswer>;
  close(): Promise<void>;
}

const CLIENT_INFO = { name: 'santokit-it', version: '0.1.0' };
const NOTE_LIMIT = 600;

function note(ctx: ScenarioContext, text: string): void {
  ctx.transcript.note(text.length > NOTE_LIMIT ? `${text.slice(0, NOTE_LIMIT)}…` : text);
}

async function open(
  ctx: ScenarioContext,
  label: string,
  transport: Transport,
  onClose: () => Promise<void>,
): Promise<McpSession> {
  const client = new Client(CLIENT_INFO);
  const onAbort = () => void client.close();
  ctx.signal.addEventListener('abort', onAbort, { once: true });
  let closed = false;
  const close = async () => {
    if (closed) return;
    closed = true;
    ctx.signal.removeEventListener('abort', onAbort);
    await client.close().catch(() => undefined);
    await onClose();
  };
  try {
    await client.connect(transport);
  } catch (error) {
    await close();
    throw error;
  }
  const call = async (name: string, args: Readonly<Record<string, unknown>> = {}): Promise<ToolAnswer> => {
    note(ctx, `mcp ${label} → tools/call ${name} ${JSON.stringify(args)}`);
    const answer = await toolAnswer(() => client.callTool({ name, arguments: { ...args } }));
    note(
      ctx,
      `mcp ${label} ← ${JSON.stringify(answer.ok ? answer.result : { code: answer.code, message: answer.message })}`,
    );
    return answer;
  };
  return { client, call, close };
}

async function toolAnswer(run: () => Promise<unknown>): Promise<ToolAnswer> {
  try {
    return { ok: true, result: (await run()) as Record<string, unknown> };
  } catch (error) {
    const { code, message, data } = error as { code?: unknown; message?: unknown; data?: unknown };
    if (typeof code !== 'number') throw error;
    return { ok: false, code, message: String(message).replace(/^MCP error -?\d+: /, ''), data };
  }
}

/** `stk mcp run` spawned by the SDK's stdio client transport. */
export async function connectStdio(
  ctx: ScenarioContext,
  options: StkProcessOptions = {},
  flags: readonly string[] = [],
): Promise<McpSession> {
  const line = ctx.stack.stk.command(['mcp', 'run', ...flags], options);
  const env = Object.fromEntries(
    Object.entries(line.extendEnv ? { ...process.env, ...line.env } : { ...line.env }).filter(
      (entry): entry is [string, string] => entry[1] !== undefined,
    ),
  );
  const transport = new StdioClientTransport({
    command: line.file,
    args: [...line.args],
    env,
    ...(line.cwd ? { cwd: line.cwd } : {}),
    stderr: 'pipe',
  });
  let stderr = '';
  transport.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  return open(ctx, 'stdio', transport, async () => {
    if (stderr.trim() !== '') note(ctx, `mcp stdio: stk stderr: ${stderr.trim()}`);
  });
}

export interface McpHttpServer {
  readonly process: StkProcess;
  /** The port `stk` listens on (in the cli container under compose). */
  readonly port: number;
  /** `/sse` as the runner reaches it (through a relay under compose). */
  readonly sseUrl: URL;
  stop(): Promise<number>;
}

export const LISTENING = /^mcp sse listening on 127\.0\.0\.1:(\d+)$/m;

/** `stk mcp start [--port]` until it prints its listening line; under compose a relay makes it reachable from here. */
export async function startMcpHttp(
  ctx: ScenarioContext,
  port: number | undefined,
  options: StkProcessOptions = {},
): Promise<McpHttpServer> {
  return attachMcpHttp(
    ctx,
    startStk(ctx, ['mcp', 'start', ...(port === undefined ? [] : ['--port', String(port)])], options),
  );
}

/** Waits for a started `stk mcp start` to listen (stopping it when it does not). */
export async function attachMcpHttp(ctx: ScenarioContext, stk: StkProcess): Promise<McpHttpServer> {
  try {
    const bound = Number((await stk.waitForLine(LISTENING))[1]);
    const container = composeContainer(ctx);
    const relay = container === undefined ? undefined : await startContainerRelay(container, bound);
    const stop = async () => {
      await relay?.close();
      return stk.stop();
    };
    return { process: stk, port: bound, sseUrl: new URL(`http://127.0.0.1:${relay?.port ?? bound}/sse`), stop };
  } catch (error) {
    await stk.stop();
    throw error;
  }
}

/** The SDK's SSE client on a running `stk mcp start`. */
export function connectSse(ctx: ScenarioContext, server: McpHttpServer): Promise<McpSession> {
  return open(ctx, 'sse', new SSEClientTransport(server.sseUrl), async () => undefined);
}

const ENVELOPE_KEYS = new Set(['content', 'structuredContent', 'isError', '_meta']);

/**
 * A successful tool answer, checked in all three places it is given: at the
 * top level of `result` (as Santokit documents it), as `structuredContent`,
 * and as JSON text in `content[0]` (what a standard MCP client reads).
 * Returns the documented object.
 */
export function expectToolResult(answer: ToolAnswer, what: string): Record<string, unknown> {
  assert.ok(answer.ok, `${what}: expected a result, got error ${answer.ok ? '' : `${answer.code} ${answer.message}`}`);
  const { result } = answer;
  const structured = result.structuredContent as Record<string, unknown> | undefined;
  assert.ok(
    structured && typeof structured === 'object',
    `${what}: structuredContent missing: ${JSON.stringify(result).slice(0, 400)}`,
  );
  const topLevel = Object.fromEntries(Object.entries(result).filter(([key]) => !ENVELOPE_KEYS.has(key)));
  assert.deepEqual(topLevel, structured, `${what}: the top-level fields equal structuredContent`);
  const content = result.content as { type?: unknown; text?: unknown }[] | undefined;
  assert.equal(content?.[0]?.type, 'text', `${what}: content[0] is text`);
  assert.deepEqual(
    JSON.parse(String(content?.[0]?.text)),
    structured,
    `${what}: content[0].text is the same object as JSON`,
  );
  assert.notEqual(result.isError, true, `${what}: not an error result`);
  return structured;
}

/** A JSON-RPC error answer with this code (and message pattern); never a result alongside. */
export function expectToolError(
  answer: ToolAnswer,
  code: number,
  message?: RegExp,
  what = 'tool call',
): { message: string; data: unknown } {
  assert.ok(
    !answer.ok,
    `${what}: expected error ${code}, got a result: ${answer.ok ? JSON.stringify(answer.result).slice(0, 400) : ''}`,
  );
  assert.equal(answer.code, code, `${what}: error code ${answer.code} (${answer.message}), expected ${code}`);
  if (message) assert.match(answer.message, message, `${what}: error message`);
  return { message: answer.message, data: answer.data };
}

export interface HttpHead {
  readonly status: number;
  readonly contentType: string;
  /** The body received within `waitMs` (an event stream never ends by itself). */
  readonly body: string;
}

/** A raw HTTP request to the server: status, content type and the start of the body, then the connection is dropped. */
export function peekHttp(
  url: URL,
  options: { method?: string; host?: string; waitMs?: number } = {},
): Promise<HttpHead> {
  return new Promise((resolve, reject) => {
    const headers = options.host ? { host: options.host } : {};
    const outgoing = request(url, { method: options.method ?? 'GET', headers }, (incoming) => {
      let body = '';
      const done = () => {
        clearTimeout(timer);
        incoming.destroy();
        resolve({
          status: incoming.statusCode ?? 0,
          contentType: String(incoming.headers['content-type'] ?? ''),
          body,
        });
      };
      const timer = setTimeout(done, options.waitMs ?? 1_000);
      incoming.setEncoding('utf8');
      incoming.on('data', (chunk: string) => {
        body += chunk;
        if (/\n\n/.test(body)) done();
      });
      incoming.on('end', done);
      incoming.on('error', () => undefined);
    });
    outgoing.on('error', reject);
    outgoing.end();
  });
}
