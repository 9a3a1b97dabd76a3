/** Releases (immutable bundles) and the per-env pointer, with every move recorded. */
import { createHash } from 'node:crypto';
import { newId } from './crypto.ts';
import type { Store } from './store.ts';

export interface ReleaseBody {
  readonly schema: { readonly tables: Readonly<Record<string, unknown>> };
  readonly permissions: { readonly tables: Readonly<Record<string, unknown>> };
  readonly storage: Readonly<Record<string, unknown>>;
  readonly logics: Readonly<Record<string, string>>;
}

export interface ReleaseRow {
  readonly id: string;
  readonly project: string;
  readonly env: string;
  readonly ref: string;
  readonly body: ReleaseBody;
  readonly created_at: Date;
}

/** Key order does not matter: the hash is of a canonical form. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value && typeof value === 'object') {
    return `{${Object.keys(value)
      .sort()
      .map((key) => `${JSON.stringify(key)}:${canonical((value as Record<string, unknown>)[key])}`)
      .join(',')}}`;
  }
  return JSON.stringify(value ?? null);
}

export function contentHash(body: ReleaseBody): string {
  return createHash('sha256').update(canonical(body)).digest('hex');
}

/**
 * Creates the release, or answers the one of this env with the same ref and
 * content. One statement does both: on the unique index of project, env, ref
 * and content, a conflicting insert becomes a no-op update that returns the
 * existing row, so identical applies sent at once answer one release, made
 * by exactly one of them (`xmax` is 0 only on a row this statement inserted).
 */
export async function createOrReuseRelease(
  store: Store,
  project: string,
  env: string,
  ref: string,
  body: ReleaseBody,
): Promise<{ id: string; reused: boolean }> {
  const rows = await store.query<{ id: string; inserted: boolean }>(
    `INSERT INTO hub_releases (id, project, env, ref, content_hash, body) VALUES ($1, $2, $3, $4, $5, $6)
     ON CONFLICT (project, env, ref, content_hash) DO UPDATE SET id = hub_releases.id
     RETURNING id, (xmax = 0) AS inserted`,
    [newId(), project, env, ref, contentHash(body), JSON.stringify(body)],
  );
  const row = rows[0] as { id: string; inserted: boolean };
  return { id: row.id, reused: !row.inserted };
}

/** Moves the env's pointer and records the move (which release, by what action, by whom); the list reads the record. */
export async function movePointer(
  store: Store,
  project: string,
  env: string,
  releaseId: string,
  action: string,
  actor: string,
): Promise<void> {
  await store.transaction(async (query) => {
    await query(
      `INSERT INTO hub_release_pointers (project, env, release_id) VALUES ($1, $2, $3)
       ON CONFLICT (project, env) DO UPDATE SET release_id = EXCLUDED.release_id, updated_at = now()`,
      [project, env, releaseId],
    );
    await query(
      `INSERT INTO hub_release_history (project, env, release_id, action, actor) VALUES ($1, $2, $3, $4, $5)`,
      [project, env, releaseId, action, actor],
    );
  });
}

export async function currentRelease(store: Store, project: string, env: string): Promise<ReleaseRow | undefined> {
  const rows = await store.query<ReleaseRow & Record<string, unknown>>(
    `SELECT r.id, r.project, r.env, r.ref, r.body, r.created_at FROM hub_release_pointers p JOIN hub_releases r ON r.id = p.release_id
     WHERE p.project = $1 AND p.env = $2`,
    [project, env],
  );
  return rows[0];
}

export async function releaseById(store: Store, id: string): Promise<ReleaseRow | undefined> {
  const rows = await store.query<ReleaseRow & Record<string, unknown>>(
    `SELECT id, project, env, ref, body, created_at FROM hub_releases WHERE id = $1`,
    [id],
  );
  return rows[0];
}

/** The public view of a release: `id` (and `release_id`, the name apply uses), where it was made, its ref and time. */
export function describeRelease(row: ReleaseRow, current?: string) {
  const view = {
    id: row.id,
    release_id: row.id,
    project: row.project,
    env: row.env,
    ref: row.ref,
    created_at: row.created_at,
  };
  return current === undefined ? view : { ...view, current: row.id === current };
}
