/** Operator identity (signed, expiring PASETO tokens) and RBAC: org and project roles. */
import type { Context } from 'hono';
import { deriveAccessKeys, issueAccessToken, verifyAccessToken } from '../shared/tokens.ts';
import type { HubConfig } from './config.ts';
import { forbidden, invalidRole, unauthorized } from '../shared/http-error.ts';
import type { Store } from './store.ts';

const OPERATOR_CONTEXT = ['__operators__', '__hub__'] as const;
/** An operator token's life (operator-rbac.md): 8 hours. */
export const OPERATOR_TTL_SECONDS = 8 * 3600;

export const ORG_ROLES = ['owner', 'admin', 'member'] as const;
export const PROJECT_ROLES = ['admin', 'deployer', 'viewer'] as const;
export type ProjectRole = (typeof PROJECT_ROLES)[number];
const RANK: Record<ProjectRole, number> = { viewer: 1, deployer: 2, admin: 3 };

/** `ttlSeconds` is the token's life; only the Hub's test mode asks for another than 8 hours. */
export function issueOperatorToken(config: HubConfig, email: string, ttlSeconds = OPERATOR_TTL_SECONDS): string {
  const [key] = deriveAccessKeys(config.pasetoKeys, ...OPERATOR_CONTEXT);
  if (!key) throw new Error('no signing key');
  return issueAccessToken(key, {
    sub: email,
    roles: ['operator'],
    project: OPERATOR_CONTEXT[0],
    env: OPERATOR_CONTEXT[1],
    ttlSeconds,
  });
}

/** The email of the operator behind `Authorization: Bearer <token>`, or 401. */
export function requireOperator(c: Context, config: HubConfig): string {
  const header = c.req.header('authorization') ?? '';
  if (!header.startsWith('Bearer ')) throw unauthorized('operator auth required');
  const verdict = verifyAccessToken(header.slice(7).trim(), (project, env) =>
    project === OPERATOR_CONTEXT[0] && env === OPERATOR_CONTEXT[1]
      ? deriveAccessKeys(config.pasetoKeys, project, env)
      : [],
  );
  if (verdict.status !== 'valid')
    throw unauthorized(verdict.reason === 'expired' ? 'operator token expired' : 'operator auth required');
  return verdict.claims.sub;
}

export async function orgRole(store: Store, email: string): Promise<string | undefined> {
  const rows = await store.query<{ role: string }>(
    `SELECT role FROM hub_org_members WHERE email = $1 AND status = 'active'`,
    [email],
  );
  return rows[0]?.role;
}

/** An explicit active project role wins over org inheritance; org owner/admin act as project admin. */
export async function effectiveProjectRole(
  store: Store,
  email: string,
  project: string,
): Promise<ProjectRole | undefined> {
  const rows = await store.query<{ role: ProjectRole }>(
    `SELECT role FROM hub_project_members WHERE project = $1 AND email = $2 AND status = 'active'`,
    [project, email],
  );
  if (rows[0]) return rows[0].role;
  const org = await orgRole(store, email);
  return org === 'owner' || org === 'admin' ? 'admin' : undefined;
}

export async function requireProjectRole(
  store: Store,
  email: string,
  project: string,
  minimum: ProjectRole,
): Promise<ProjectRole> {
  const role = await effectiveProjectRole(store, email, project);
  if (role === undefined || RANK[role] < RANK[minimum]) throw forbidden();
  return role;
}

export async function requireOrgAdmin(store: Store, email: string): Promise<string> {
  const role = await orgRole(store, email);
  if (role !== 'owner' && role !== 'admin') throw forbidden();
  return role;
}

/** A role of the scope's list, else 400 `invalid org role` / `invalid project role`. */
export function checkRole<T extends string>(value: string, roles: readonly T[], scope: 'org' | 'project'): T {
  // OPERATOR-006: a role not valid for the scope is 422.
  if (!(roles as readonly string[]).includes(value)) throw invalidRole(`invalid ${scope} role`);
  return value as T;
}
