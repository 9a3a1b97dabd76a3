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

/** The release of this env with the same ref and content, if any. */
export async function findReusable(
  store: Store,
  project: string,
  env: string,
  ref: string,
  hash: string,
): Promise<string | undefined> {
  const rows = await store.query<{ id: string }>(
    `SELECT id FROM hub_releases WHERE project = $1 AND env = $2 AND ref = $3 AND content_hash = $4`,
    [project, env, ref, hash],
  );
  return rows[0]?.id;
}

/**
 * Creates the release, or finds the one a concurrent identical apply created
 * first (the unique index on project/env/ref/content makes that race safe).
 */
export async function createOrReuseRelease(
  store: Store,
  project: string,
  env: string,
  ref: string,
  body: ReleaseBody,
): Promise<{ id: string; reused: boolean }> {
  const hash = contentHash(body);
  const existing = await findReusable(store, project, env, ref, hash);
  if (existing) return { id: existing, reused: true };
  const inserted = await store.query<{ id: string }>(
    `INSERT INTO hub_releases (id, project, env, ref, content_hash, body) VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT DO NOTHING RETURNING id`,
    [newId(), project, env, ref, hash, JSON.stringify(body)],
  );
  if (inserted[0]) return { id: inserted[0].id, reused: false };
  const raced = await findReusable(store, project, env, ref, hash);
  if (!raced) throw new Error('release vanished after a conflicting insert');
  return { id: raced, reused: true };
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
