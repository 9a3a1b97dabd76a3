/** Operator RBAC memberships: invitations stay pending until accepted or set-role; removal revokes at once. */
import type { Context } from 'hono';
import type { HubApp, HubDeps } from '../deps.ts';
import { conflict, forbidden, notFound } from '../../shared/http-error.ts';
import { name, queryParam, readBody, str, type Body } from '../http.ts';
import { checkRole, orgRole, ORG_ROLES, PROJECT_ROLES, requireOperator, requireOrgAdmin, requireProjectRole } from '../operators.ts';
import { requireProject } from './lookup.ts';

interface Scope {
  readonly table: 'hub_org_members' | 'hub_project_members';
  readonly roles: readonly string[];
  /** Authorises the caller and returns the membership key columns for this request. */
  authorise(c: Context, body: Body, operator: string): Promise<{ where: string; values: string[]; columns: string[] }>;
}

function scopes(deps: HubDeps): Record<'org' | 'project', Scope> {
  return {
    org: {
      table: 'hub_org_members',
      roles: ORG_ROLES,
      authorise: async (_c, _body, operator) => {
        await requireOrgAdmin(deps.store, operator);
        return { where: '', values: [], columns: [] };
      },
    },
    project: {
      table: 'hub_project_members',
      roles: PROJECT_ROLES,
      authorise: async (c, body, operator) => {
        const project = typeof body.project === 'string' ? name(body, 'project') : queryParam(c, 'project');
        await requireProjectRole(deps.store, operator, project, 'admin');
        await requireProject(deps.store, project);
        return { where: ' AND project = $PROJECT', values: [project], columns: ['project'] };
      },
    },
  };
}

/** Owner is granted, changed and removed by an org owner only. */
async function guardOwner(deps: HubDeps, scope: Scope, operator: string, ...roles: (string | undefined)[]): Promise<void> {
  if (scope.table === 'hub_org_members' && roles.includes('owner') && (await orgRole(deps.store, operator)) !== 'owner') throw forbidden();
}

function sql(text: string, key: { where: string; values: string[] }, offset: number): string {
  return text.replace('$WHERE', key.where.replace('$PROJECT', `$${offset}`));
}

export function registerMemberRoutes(app: HubApp, deps: HubDeps): void {
  for (const [prefix, scope] of Object.entries(scopes(deps))) {
    const current = async (email: string, key: { where: string; values: string[] }) =>
      (await deps.store.query<{ role: string; status: string }>(sql(`SELECT role, status FROM ${scope.table} WHERE email = $1$WHERE`, key, 2), [email, ...key.values]))[0];

    app.post(`/api/${prefix}/invite`, async (c) => {
      const body = await readBody(c);
      const operator = requireOperator(c, deps.config);
      const key = await scope.authorise(c, body, operator);
      const email = str(body, 'email');
      const role = checkRole(str(body, 'role'), scope.roles);
      await guardOwner(deps, scope, operator, role);
      if ((await current(email, key))?.status === 'active') throw conflict(`${email} is already an active member`);
      const columns = ['email', 'role', 'status', ...key.columns];
      await deps.store.query(
        `INSERT INTO ${scope.table} (${columns.join(', ')}) VALUES (${columns.map((_, index) => `$${index + 1}`).join(', ')})
         ON CONFLICT (${['email', ...key.columns].join(', ')}) DO UPDATE SET role = EXCLUDED.role, status = 'pending', updated_at = now()`,
        [email, role, 'pending', ...key.values],
      );
      return c.json({ ok: true, email, role, status: 'pending' });
    });

    app.post(`/api/${prefix}/accept`, async (c) => {
      const body = await readBody(c);
      const operator = requireOperator(c, deps.config);
      const key = prefix === 'project' ? { where: ' AND project = $PROJECT', values: [name(body, 'project')] } : { where: '', values: [] };
      const rows = await deps.store.query(sql(`UPDATE ${scope.table} SET status = 'active', updated_at = now() WHERE email = $1$WHERE RETURNING role`, key, 2), [operator, ...key.values]);
      if (rows.length === 0) throw notFound('no invitation for this operator');
      return c.json({ ok: true, email: operator, role: (rows[0] as { role: string }).role, status: 'active' });
    });

    app.post(`/api/${prefix}/members/set-role`, async (c) => {
      const body = await readBody(c);
      const operator = requireOperator(c, deps.config);
      const key = await scope.authorise(c, body, operator);
      const email = str(body, 'email');
      const role = checkRole(str(body, 'role'), scope.roles);
      const existing = await current(email, key);
      if (!existing) throw notFound(`${email} is not a member`);
      await guardOwner(deps, scope, operator, role, existing.role);
      await deps.store.query(sql(`UPDATE ${scope.table} SET role = $2, status = 'active', updated_at = now() WHERE email = $1$WHERE`, key, 3), [email, role, ...key.values]);
      return c.json({ ok: true, email, role, status: 'active' });
    });

    app.post(`/api/${prefix}/remove`, async (c) => {
      const body = await readBody(c);
      const operator = requireOperator(c, deps.config);
      const key = await scope.authorise(c, body, operator);
      const email = str(body, 'email');
      const existing = await current(email, key);
      if (!existing) throw notFound(`${email} is not a member`);
      await guardOwner(deps, scope, operator, existing.role);
      await deps.store.query(sql(`DELETE FROM ${scope.table} WHERE email = $1$WHERE`, key, 2), [email, ...key.values]);
      return c.json({ ok: true, email });
    });

    app.get(`/api/${prefix}/members`, async (c) => {
      const operator = requireOperator(c, deps.config);
      const key = await scope.authorise(c, {}, operator);
      const rows = await deps.store.query(sql(`SELECT email, role, status FROM ${scope.table} WHERE TRUE$WHERE ORDER BY email`, key, 1), key.values);
      return c.json(rows);
    });
  }
}
