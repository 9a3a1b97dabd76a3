/**
 * Everything `stk mcp` does before it serves, without the MCP SDK: the scope
 * (flags, then STK_PROJECT/STK_ENV, then .stk/context.json), the port, and
 * the start-up check against the Hub. A refused start never loads the SDK,
 * which costs a quarter of a second of CPU.
 */
import { CliError } from '../client.ts';
import type { Io } from '../command-kit.ts';
import { readRepoContext } from '../context-file.ts';
import { DEFAULT_MCP_PORT } from './defaults.ts';
import { createRedactor, type Redactor } from './redact.ts';
import { createReleaseSource, type McpScope, type ReleaseSource } from './release-source.ts';
import { ToolError } from './tool-error.ts';

/** How long a tool call may take before it answers TIMEOUT (MCP-006). */
export const TOOL_TIME_LIMIT_MS = 5_000;

/** What the server needs: fixed at start. */
export interface ServerDeps {
  readonly scope: McpScope;
  readonly source: ReleaseSource;
  readonly redactor: Redactor;
  /** Test hook `STK_MCP_TEST_DELAY_MS`: every tool call first waits this long. */
  readonly delayMs: number;
  readonly timeLimitMs: number;
}

export type Flags = Readonly<Record<string, unknown>>;

const given = (value: unknown): string | undefined => (typeof value === 'string' && value !== '' ? value : undefined);

/** Flags win over STK_* variables, which win over the repository context. */
export function resolveScope(flags: Flags, io: Io): McpScope {
  const file = readRepoContext(io.cwd);
  const project = given(flags.project) ?? given(io.env.STK_PROJECT) ?? given(file.project);
  if (project === undefined)
    throw new CliError('context not set: project (give --project, STK_PROJECT or stk context set --project)');
  const env = given(flags.env) ?? given(io.env.STK_ENV) ?? given(file.env);
  if (env === undefined) throw new CliError('context not set: env (give --env, STK_ENV or stk context set --env)');
  const hubUrl = given(flags.hub) ?? given(io.env.STK_HUB_URL) ?? given(file.hubUrl) ?? 'http://hub:4000';
  return { hubUrl, project, env, token: given(io.env.STK_AUTH_TOKEN) };
}

export function parsePort(raw: unknown): number {
  if (raw === undefined) return DEFAULT_MCP_PORT;
  const text = String(raw);
  if (!/^\d{1,5}$/.test(text) || Number(text) > 65_535)
    throw new CliError(`invalid --port: '${text.slice(0, 32)}' is not a port number (0-65535)`);
  return Number(text);
}

/** Resolves the scope and checks the Hub and the release before serving anything. */
export async function prepare(flags: Flags, io: Io): Promise<ServerDeps> {
  const scope = resolveScope(flags, io);
  const source = createReleaseSource(scope);
  try {
    const probe = await source.probe();
    if (probe.kind === 'refused') {
      process.stderr.write(
        `stk mcp: the Hub refused this operator for ${scope.project}/${scope.env} (HTTP ${probe.status}); every tool call will answer FORBIDDEN\n`,
      );
    }
  } catch (error) {
    source.close();
    const reason = error instanceof ToolError ? error.message.replace(/^[A-Z_]+: /, '') : (error as Error).message;
    throw new CliError(`failed to initialize mcp server: ${reason}`);
  }
  const delay = Number(io.env.STK_MCP_TEST_DELAY_MS ?? '0');
  const redactor = createRedactor(scope.token === undefined ? [] : [scope.token]);
  return {
    scope,
    source,
    redactor,
    delayMs: Number.isSafeInteger(delay) && delay > 0 ? delay : 0,
    timeLimitMs: TOOL_TIME_LIMIT_MS,
  };
}
