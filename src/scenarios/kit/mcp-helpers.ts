/** Small helpers the MCP scenarios share: the scope variables, work folders, ports, the release a server names. */
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { join } from 'node:path';
import { expectExit } from './assertions.ts';
import type { ScenarioContext } from './context.ts';
import { expectToolResult, type McpSession } from './mcp.ts';
import { hubCurrentRelease } from './releases.ts';

/** The six tools of MCP-001, sorted. */
export const MCP_TOOLS = [
  'logic_get',
  'logic_list',
  'permissions_get_table',
  'release_current',
  'schema_get_table',
  'schema_list_tables',
];

/** Every MCP scenario starts `stk` as a Node process several times: seconds each on a busy 2-core machine, tens of seconds in a compose container under load. */
export const SLOW = { timeoutMs: 240_000 };

/** `stk mcp` for project/dev as the operator of `token` (none: no STK_AUTH_TOKEN at all). */
export function mcpScope(project: string, token?: string): Record<string, string> {
  return { STK_PROJECT: project, STK_ENV: 'dev', ...(token === undefined ? {} : { STK_AUTH_TOKEN: token }) };
}

/** A new folder `stk` can use as its working directory (under compose it is mounted in the cli container). */
export function workFolder(ctx: ScenarioContext, prefix: string): string {
  assert.ok(ctx.stack.workDir, 'the stack offers a work folder');
  return mkdtempSync(join(ctx.stack.workDir, `${prefix}-`));
}

/** The current release id of project/dev, straight from the Hub (a `stk` start costs seconds on a busy machine). */
export function releaseIdOf(ctx: ScenarioContext, project: string): Promise<string> {
  return hubCurrentRelease(ctx, project, 'dev');
}

/** What `release_current` names on this session. */
export async function releaseNamed(session: McpSession): Promise<{ project: unknown; releaseId: unknown }> {
  const current = expectToolResult(await session.call('release_current'), 'release_current');
  return { project: current.project, releaseId: current.releaseId };
}

/** `tools/list` gives exactly the six tools, each with a closed input schema. */
export async function expectSixTools(session: McpSession): Promise<void> {
  const { tools } = await session.client.listTools();
  assert.deepEqual(tools.map((tool) => tool.name).sort(), MCP_TOOLS);
  for (const tool of tools) {
    assert.equal(tool.inputSchema.additionalProperties, false, `${tool.name}: a closed input schema`);
  }
}

/** `stk mcp …` that must fail at start: exit 1 and an `Error:` line matching `message` (stdin is empty, so `run` cannot wait). */
export async function refusedStart(
  ctx: ScenarioContext,
  args: string[],
  message: RegExp,
  env: Record<string, string>,
  cwd?: string,
): Promise<void> {
  const result = await ctx.stk(['mcp', ...args], { env, input: '', timeoutMs: 60_000, ...(cwd ? { cwd } : {}) });
  expectExit(result, 1);
  assert.match(result.stderr, message, `stk mcp ${args.join(' ')}: ${result.stderr}`);
  assert.doesNotMatch(result.stdout, /listening/, 'nothing was served');
}
