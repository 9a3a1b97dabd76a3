/** Release listing and pointer moves: current, list, show, promote (drift-gated), rollback. */
import type { HubApp, HubDeps } from '../deps.ts';
import { assertCompatible, assertNoDrift } from '../drift.ts';
import type { SchemaModel } from '../schema/model.ts';
import { badRequest, notFound } from '../../shared/http-error.ts';
import { name, optionalStr, queryParam, readBody } from '../http.ts';
import { scopedBody, scopedQuery } from './scope.ts';
import { requireOperator, requireProjectRole } from '../operators.ts';
import { currentRelease, describeRelease, movePointer, releaseById, type ReleaseRow } from '../releases.ts';
import { requireEnv, requireProject } from './lookup.ts';

function limitParam(raw: string | undefined): number {
  const limit = Number(raw ?? '20');
  if (!/^\d+$/.test(raw ?? '20') || limit < 1 || limit > 100)
    throw badRequest('limit must be a whole number from 1 to 100');
  return limit;
}

/**
 * `include=schema,permissions,storage,logics`: the parts of the release's
 * content a viewer may read (`stk gen client`, `stk mcp`); connections, which
 * hold database URLs, are never one of them.
 */
const CONTENT_PARTS = ['schema', 'permissions', 'storage', 'logics'] as const;
type ContentPart = (typeof CONTENT_PARTS)[number];

function includedParts(raw: string | undefined): ContentPart[] {
  if (raw === undefined || raw === '') return [];
  const parts = raw.split(',').map((part) => part.trim());
  const unknown = parts.find((part) => !(CONTENT_PARTS as readonly string[]).includes(part));
  if (unknown !== undefined)
    throw badRequest(`include: unknown part '${unknown.slice(0, 64)}' (allowed: ${CONTENT_PARTS.join(', ')})`);
  return parts as ContentPart[];
}

function pick(body: ReleaseRow['body'], parts: readonly ContentPart[]): Partial<ReleaseRow['body']> {
  return Object.fromEntries(parts.map((part) => [part, body[part]]));
}

export function registerReleaseRoutes(app: HubApp, deps: HubDeps): void {
  const { store, config } = deps;

  app.get('/api/releases/current', async (c) => {
    const { project, env } = await scopedQuery(c, deps, 'viewer');
    await requireEnv(store, project, env);
    const parts = includedParts(c.req.query('include'));
    const current = await currentRelease(store, project, env);
    if (!current) throw notFound('no current release');
    return c.json({ ...describeRelease(current), ...pick(current.body, parts) });
  });

  app.get('/api/releases', async (c) => {
    const { project, env } = await scopedQuery(c, deps, 'viewer');
    const limit = limitParam(c.req.query('limit'));
    await requireEnv(store, project, env);
    const rows = await store.query<ReleaseRow & Record<string, unknown>>(
      `SELECT r.id, r.project, r.env, r.ref, '{}'::jsonb AS body, r.created_at FROM hub_releases r
       WHERE r.id IN (SELECT release_id FROM hub_release_history WHERE project = $1 AND env = $2)
       ORDER BY r.created_at DESC LIMIT $3`,
      [project, env, limit],
    );
    const current = (await currentRelease(store, project, env))?.id;
    return c.json(rows.map((row) => describeRelease(row, current ?? '')));
  });

  app.get('/api/releases/:id', async (c) => {
    const operator = requireOperator(c, config);
    const project = queryParam(c, 'project');
    await requireProjectRole(store, operator, project, 'viewer');
    const row = await releaseById(store, c.req.param('id'));
    if (!row || row.project !== project) throw notFound('release not found');
    return c.json(describeRelease(row));
  });

  app.post('/api/releases/promote', async (c) => {
    const body = await readBody(c);
    const operator = requireOperator(c, config);
    const project = name(body, 'project');
    await requireProjectRole(store, operator, project, 'deployer');
    const to = name(body, 'to');
    const from = optionalStr(body, 'from');
    const releaseId = optionalStr(body, 'release_id');
    if ((from === undefined) === (releaseId === undefined))
      throw badRequest("give exactly one of 'from' or 'release_id'");
    await requireProject(store, project);
    await requireEnv(store, project, to);
    let release: ReleaseRow | undefined;
    if (from !== undefined) {
      await requireEnv(store, project, from);
      release = await currentRelease(store, project, from);
      if (!release) throw notFound('no current release');
    } else {
      release = await releaseById(store, releaseId ?? '');
      if (!release || release.project !== project) throw notFound('release not found');
    }
    await assertNoDrift(deps, project, to);
    await assertCompatible(deps, project, to, release.body.schema as SchemaModel);
    await movePointer(store, project, to, release.id, 'promote', operator);
    await deps.events?.publish({ scope: 'release', project, env: to });
    return c.json({ ok: true, project, env: to, release_id: release.id });
  });

  app.post('/api/releases/rollback', async (c) => {
    const { body, operator, project, env } = await scopedBody(c, deps, 'deployer');
    const target = optionalStr(body, 'release_id') ?? optionalStr(body, 'to_release_id');
    if (target === undefined) throw badRequest("field 'release_id' is required");
    await requireEnv(store, project, env);
    const release = await releaseById(store, target);
    if (!release || release.project !== project) throw notFound('release not found');
    await movePointer(store, project, env, release.id, 'rollback', operator);
    await deps.events?.publish({ scope: 'release', project, env });
    return c.json({ ok: true, project, env, release_id: release.id });
  });
}
