/**
 * The callers a rule must turn away, for the CRUD and SECURITY scenarios: no
 * credential at all, and an API key whose role has no rule for the call.
 */
import type { ScenarioContext } from './context.ts';
import type { Credentials } from './bridge.ts';
import { expectError } from './assertions.ts';
import { expectNoData } from './crud.ts';
import { createApiKey } from './project.ts';

export interface RefusedCallers {
  /** Only the routing hints: nobody. */
  readonly anonymous: Credentials;
  /** An API key of `project`/`env` (it names both) with just the role given to `refusedCallers` (default `reader`). */
  readonly keyed: Credentials;
}

export async function refusedCallers(
  ctx: ScenarioContext,
  project: string,
  env: string,
  role = 'reader',
): Promise<RefusedCallers> {
  return {
    anonymous: { project, env },
    keyed: { apiKey: await createApiKey(ctx, project, env, role, role) },
  };
}

/** `path` with `params` is refused to both: 401 UNAUTHORIZED without a credential, 403 FORBIDDEN to the key; no data either way. */
export async function expectRefused(
  ctx: ScenarioContext,
  callers: RefusedCallers,
  path: string,
  params: unknown,
): Promise<void> {
  const anonymous = await ctx.bridge.call(path, params, callers.anonymous);
  expectError(anonymous, 401, 'UNAUTHORIZED');
  expectNoData(anonymous);
  const keyed = await ctx.bridge.call(path, params, callers.keyed);
  expectError(keyed, 403, 'FORBIDDEN');
  expectNoData(keyed);
}
