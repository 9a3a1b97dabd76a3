/** `stk schema snapshot|drift`: accept the live databases as baseline, or report drift. */
import type { HubApp, HubDeps } from '../deps.ts';
import { measureDrift, takeBaselines } from '../drift.ts';
import { scopedBody } from './scope.ts';
import { requireEnv } from './lookup.ts';

export function registerDriftRoutes(app: HubApp, deps: HubDeps): void {
  app.post('/api/schema/snapshot', async (c) => {
    const { project, env } = await scopedBody(c, deps, 'deployer');
    await requireEnv(deps.store, project, env);
    return c.json({ project, env, snapshots: await takeBaselines(deps, project, env) });
  });

  const report = async (project: string, env: string) => {
    await requireEnv(deps.store, project, env);
    const connections = await measureDrift(deps, project, env);
    return { project, env, drifted: connections.some((entry) => entry.issues.length > 0), connections };
  };
  app.post('/api/schema/drift', async (c) => {
    const { project, env } = await scopedBody(c, deps, 'viewer');
    return c.json(await report(project, env));
  });
}
