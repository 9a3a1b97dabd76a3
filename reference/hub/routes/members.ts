/**
 * Operator memberships of the org and of projects: invitations stay pending
 * until accepted or set with set-role; removal and demotion act on the next
 * request, because roles are read from these tables on every request.
 */
import type { Context } from 'hono';
import type { HubApp, HubDeps } from '../deps.ts';
import { badRequest, conflict, forbidden, notFound } from '../../shared/http-error.ts';
import { name, queryParam, readBody, str, type Body } from '../http.ts';
import {
  checkRole,
  orgRole,
  ORG_ROLES,
  PROJECT_ROLES,
  requireOperator,
  requireOrgAdmin,
  requireProjectRole,
} from '../operators.ts';
import type { Store } from '../store.ts';
import { requireProject } from './lookup.ts';

type Query = Store['query'];

/** The SQL of one membership table; `key` is `[]` for the org and `[project]` for a project. */
interface Scope {
  readonly name: 'org' | 'project';
  readonly roles: readonly string[];
  find(query: Query, email: string, key: readonly string[]): Promise<{ role: string; status: string } | undefined>;
  upsert(
    query: Query,
    email: string,
    role: string,
    status: 'pending' | 'active',
    key: readonly string[],
  ): Promise<void>;
  remove(query: Query, email: string, key: readonly string[]): Promise<void>;
  activate(query: Query, email: string, key: readonly string[]): Promise<string | undefined>;
  list(query: Query, key: readonly string[]): Promise<Record<string, unknown>[]>;
}

const ORG: Scope = {
  name: 'org',
  roles: ORG_ROLES,
  find: async (query, email) =>
    (
      await query<{ role: string; status: string }>(`SELECT role, status FROM hub_org_members WHERE email = $1`, [
        email,
      ])
    )[0],
  upsert: async (query, email, role, status) =>
    void (await query(
      `INSERT INTO hub_org_members (email, role, status) VALUES ($1, $2, $3)
       ON CONFLICT (email) DO UPDATE SET role = EXCLUDED.role, status = EXCLUDED.status, updated_at = now()`,
      [email, role, status],
    )),
  remove: async (query, email) => void (await query(`DELETE FROM hub_org_members WHERE email = $1`, [email])),
  activate: async (query, email) =>
    (
      await query<{ role: string }>(
        `UPDATE hub_org_members SET status = 'active', updated_at = now() WHERE email = $1 AND status = 'pending' RETURNING role`,
        [email],
      )
    )[0]?.role,
  list: (query) => query(`SELECT email, role, status, created_at FROM hub_org_members ORDER BY email`),
};

const PROJECT: Scope = {
  name: 'project',
  roles: PROJECT_ROLES,
  find: async (query, email, [project]) =>
    (
      await query<{ role: string; status: string }>(
        `SELECT role, status FROM hub_project_members WHERE email = $1 AND project = $2`,
        [email, project],
      )
    )[0],
  upsert: async (query, email, role, status, [project]) =>
    void (await query(
      `INSERT INTO hub_project_members (project, email, role, status) VALUES ($1, $2, $3, $4)
       ON CONFLICT (project, email) DO UPDATE SET role = EXCLUDED.role, status = EXCLUDED.status, updated_at = now()`,
      [project, email, role, status],
    )),
  remove: async (query, email, [project]) =>
    void (await query(`DELETE FROM hub_project_members WHERE email = $1 AND project = $2`, [email, project])),
  activate: async (query, email, [project]) =>
    (
      await query<{ role: string }>(
        `UPDATE hub_project_members SET status = 'active', updated_at = now() WHERE email = $1 AND project = $2 AND status = 'pending' RETURNING role`,
        [email, project],
      )
    )[0]?.role,
  list: (query, [project]) =>
    query(`SELECT email, role, status, created_at FROM hub_project_members WHERE project = $1 ORDER BY email`, [
      project,
    ]),
};

/** `user` as the spec names it; `email` accepted too. */
function member(body: Body): string {
  return str(body, typeof body.user === 'string' || body.email === undefined ? 'user' : 'email');
}

export function registerMemberRoutes(app: HubApp, deps: HubDeps): void {
  const { store } = deps;

  /** Caller's right to manage the scope (403), then the scope's key; a project must exist (404). */
  const manage = async (c: Context, scope: Scope, body: Body): Promise<{ operator: string; key: string[] }> => {
    const operator = requireOperator(c, deps.config);
    if (scope.name === 'org') {
      await requireOrgAdmin(store, operator);
      return { operator, key: [] };
    }
    const project = name(body, 'project');
    await requireProjectRole(store, operator, project, 'admin');
    return { operator, key: [project] };
  };
  const exists = async (scope: Scope, key: readonly string[]) => {
    if (scope.name === 'project') await requireProject(store, key[0] ?? '');
  };
  /** Only an org owner grants, changes or removes the owner role; the org keeps at least one active owner. */
  const guardOwner = async (scope: Scope, operator: string, from: string | undefined, to: string | undefined) => {
    if (scope.name !== 'org' || (from !== 'owner' && to !== 'owner')) return;
    if ((await orgRole(store, operator)) !== 'owner') throw forbidden();
    if (from === 'owner' && to !== 'owner') {
      const owners = await store.query(`SELECT 1 FROM hub_org_members WHERE role = 'owner' AND status = 'active'`);
      if (owners.length <= 1) throw conflict('the org must keep an active owner');
    }
  };

  for (const scope of [ORG, PROJECT]) {
    const prefix = `/api/${scope.name}`;

    app.post(`${prefix}/invite`, async (c) => {
      const body = await readBody(c);
      const { operator, key } = await manage(c, scope, body);
      const email = str(body, 'email');
      if (!email.includes('@')) throw badRequest('email must contain @');
      const role = checkRole(str(body, 'role'), scope.roles, scope.name);
      await exists(scope, key);
      await guardOwner(scope, operator, undefined, role);
      if ((await scope.find(store.query, email, key))?.status === 'active') throw conflict('already an active member');
      await scope.upsert(store.query, email, role, 'pending', key);
      return c.json({ ok: true, email, role, status: 'pending' });
    });

    app.post(`${prefix}/members/set-role`, async (c) => {
      const body = await readBody(c);
      const { operator, key } = await manage(c, scope, body);
      const email = member(body);
      const role = checkRole(str(body, 'role'), scope.roles, scope.name);
      await exists(scope, key);
      const existing = await scope.find(store.query, email, key);
      await guardOwner(scope, operator, existing?.status === 'active' ? existing.role : undefined, role);
      await scope.upsert(store.query, email, role, 'active', key);
      return c.json({ ok: true, email, role, status: 'active' });
    });

    app.post(`${prefix}/remove`, async (c) => {
      const body = await readBody(c);
      const { operator, key } = await manage(c, scope, body);
      const email = member(body);
      await exists(scope, key);
      const existing = await scope.find(store.query, email, key);
      if (!existing) throw notFound('not a member');
      await guardOwner(scope, operator, existing.status === 'active' ? existing.role : undefined, undefined);
      await scope.remove(store.query, email, key);
      return c.json({ ok: true });
    });

    app.post(`${prefix}/accept`, async (c) => {
      const body = await readBody(c);
      const operator = requireOperator(c, deps.config);
      const key = scope.name === 'project' ? [name(body, 'project')] : [];
      const role = await scope.activate(store.query, operator, key);
      if (role === undefined) throw notFound('no pending invitation');
      return c.json({ ok: true, email: operator, role, status: 'active' });
    });

    app.get(`${prefix}/members`, async (c) => {
      const operator = requireOperator(c, deps.config);
      let key: string[] = [];
      if (scope.name === 'org') {
        if ((await orgRole(store, operator)) === undefined) throw forbidden();
      } else {
        key = [queryParam(c, 'project')];
        await requireProjectRole(store, operator, key[0] ?? '', 'viewer');
        await requireProject(store, key[0] ?? '');
      }
      return c.json(await scope.list(store.query, key));
    });
  }
}
