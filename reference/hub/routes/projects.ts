/** Projects and envs: create (409 on duplicates) and list. */
import type { HubApp, HubDeps } from '../deps.ts';
import { conflict } from '../../shared/http-error.ts';
import { name, readBody, queryParam } from '../http.ts';
import { effectiveProjectRole, requireOperator, requireOrgAdmin, requireProjectRole } from '../operators.ts';
import { requireProject } from './lookup.ts';

export function registerProjectRoutes(app: HubApp, deps: HubDeps): void {
  const { store, config } = deps;

  app.post('/api/projects', async (c) => {
    const body = await readBody(c);
    const operator = requireOperator(c, config);
    await requireOrgAdmin(store, operator);
    const project = name(body, 'project');
    const rows = await store.query(
      `INSERT INTO hub_projects (name) VALUES ($1) ON CONFLICT DO NOTHING RETURNING name`,
      [project],
    );
    if (rows.length === 0) throw conflict('project already exists');
    return c.json({ ok: true, project });
  });

  app.get('/api/projects', async (c) => {
    const operator = requireOperator(c, config);
    const rows = await store.query<{ name: string }>(`SELECT name FROM hub_projects ORDER BY name`);
    const visible: string[] = [];
    for (const row of rows) if (await effectiveProjectRole(store, operator, row.name)) visible.push(row.name);
    return c.json(visible.map((project) => ({ name: project })));
  });

  app.post('/api/envs', async (c) => {
    const body = await readBody(c);
    const operator = requireOperator(c, config);
    const project = name(body, 'project');
    await requireProjectRole(store, operator, project, 'admin');
    const env = name(body, 'env');
    await requireProject(store, project);
    const rows = await store.query(
      `INSERT INTO hub_envs (project, name) VALUES ($1, $2) ON CONFLICT DO NOTHING RETURNING name`,
      [project, env],
    );
    if (rows.length === 0) throw conflict('env already exists');
    await deps.events?.publish({ scope: 'keys', project, env });
    return c.json({ ok: true, project, env });
  });

  app.get('/api/envs', async (c) => {
    const operator = requireOperator(c, config);
    const project = queryParam(c, 'project');
    await requireProjectRole(store, operator, project, 'viewer');
    await requireProject(store, project);
    const rows = await store.query<{ name: string }>(`SELECT name FROM hub_envs WHERE project = $1 ORDER BY name`, [
      project,
    ]);
    return c.json(rows.map((row) => ({ name: row.name })));
  });
}
