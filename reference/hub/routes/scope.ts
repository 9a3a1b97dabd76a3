/**
 * The common prologue of project/env routes, in the precedence of
 * plan/spec/errors.md: body → operator (401) → project role (403) → names (400).
 * Existence (404) is left to the route, after its own field checks.
 */
import type { Context } from 'hono';
import type { HubDeps } from '../deps.ts';
import { name, queryParam, readBody, type Body } from '../http.ts';
import { requireOperator, requireProjectRole, type ProjectRole } from '../operators.ts';

export interface Scoped {
  readonly body: Body;
  readonly operator: string;
  readonly project: string;
  readonly env: string;
}

export async function scopedBody(c: Context, deps: HubDeps, role: ProjectRole): Promise<Scoped> {
  const body = await readBody(c);
  const operator = requireOperator(c, deps.config);
  const project = name(body, 'project');
  await requireProjectRole(deps.store, operator, project, role);
  return { body, operator, project, env: name(body, 'env') };
}

export async function scopedQuery(c: Context, deps: HubDeps, role: ProjectRole): Promise<Omit<Scoped, 'body'>> {
  const operator = requireOperator(c, deps.config);
  const project = queryParam(c, 'project');
  const env = queryParam(c, 'env');
  await requireProjectRole(deps.store, operator, project, role);
  return { operator, project, env };
}
