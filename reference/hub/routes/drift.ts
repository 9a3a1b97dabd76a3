/** `stk schema snapshot|drift`: accept the live databases as baseline, or report drift. */
import type { HubApp, HubDeps } from '../deps.ts';
import { measureDrift, takeBaselines } from '../drift.ts';
import { name, readBody } from '../http.ts';
import { requireOperator, requireProjectRole } from '../operators.ts';
import { requireEnv } from './lookup.ts';

export function registerDriftRoutes(app: HubApp, deps: HubDeps): void {
  app.post('/api/schema/snapshot', async (c) => {
    const body = await readBody(c);
    const operator = requireOperator(c, deps.config);
    const project = name(body, 'project');
    await requireProjectRole(deps.store, operator, project, 'deployer');
    const env = name(body, 'env');
    await requireEnv(deps.store, project, env);
    return c.json({ project, env, snapshots: await takeBaselines(deps, project, env) });
  });

  app.post('/api/schema/drift', async (c) => {
    const body = await readBody(c);
    const operator = requireOperator(c, deps.config);
    const project = name(body, 'project');
    await requireProjectRole(deps.store, operator, project, 'viewer');
    const env = name(body, 'env');
    await requireEnv(deps.store, project, env);
    const connections = await measureDrift(deps, project, env);
    return c.json({ project, env, drifted: connections.some((entry) => entry.issues.length > 0), connections });
  });
}
