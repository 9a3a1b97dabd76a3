/** Existence checks shared by the routes: unknown project or env is a 404. */
import type { Store } from '../store.ts';
import { notFound } from '../../shared/http-error.ts';

export async function requireProject(store: Store, project: string): Promise<void> {
  const rows = await store.query(`SELECT 1 FROM hub_projects WHERE name = $1`, [project]);
  if (rows.length === 0) throw notFound('project not found');
}

export async function requireEnv(store: Store, project: string, env: string): Promise<void> {
  await requireProject(store, project);
  const rows = await store.query(`SELECT 1 FROM hub_envs WHERE project = $1 AND name = $2`, [project, env]);
  if (rows.length === 0) throw notFound('env not found');
}

export interface ConnectionRow {
  readonly name: string;
  readonly engine: string;
  readonly sealed_url: string;
  readonly created_at: Date;
  readonly updated_at: Date;
}

export async function connectionsOf(store: Store, project: string, env: string): Promise<ConnectionRow[]> {
  return store.query<ConnectionRow & Record<string, unknown>>(
    `SELECT name, engine, sealed_url, created_at, updated_at FROM hub_connections WHERE project = $1 AND env = $2 ORDER BY name`,
    [project, env],
  );
}
