/**
 * `POST /api/apply`: validate the whole bundle, plan DDL per connection,
 * refuse destruction without `force`, run the drift gate, run the DDL,
 * re-baseline, then create (or reuse) the release and move the pointer.
 */
import { assertForced, commitRelease, planAll, runPlans, usedConnections } from '../apply-steps.ts';
import type { HubApp, HubDeps } from '../deps.ts';
import { assertNoDrift, takeBaselines } from '../drift.ts';
import { badRequest } from '../../shared/http-error.ts';
import { bool, str, type Body } from '../http.ts';
import { currentRelease, type ReleaseBody } from '../releases.ts';
import type { SchemaModel } from '../schema/model.ts';
import { parsePermissions } from '../schema/parse-bundle.ts';
import { parseStorage } from '../schema/parse-storage.ts';
import { parseLogics } from '../schema/parse-logics.ts';
import { parseSchemaFiles, type SourceFile } from '../schema/parse-schema.ts';
import { requireEnv } from './lookup.ts';
import { scopedBody } from './scope.ts';

const STEPS = ['schema', 'permissions', 'release'];
const MAX_REF_LENGTH = 200;

function schemaFiles(body: Body): SourceFile[] {
  const raw = body.schema ?? [];
  if (!Array.isArray(raw)) throw badRequest("field 'schema' must be a list");
  return raw.map((entry: unknown, index) => {
    if (typeof entry === 'string') return { file: `schema[${index}]`, content: entry };
    const item = entry as { file?: unknown; content?: unknown } | null;
    if (typeof item?.file !== 'string' || typeof item.content !== 'string')
      throw badRequest(`schema[${index}] must be a string or {file, content}`);
    return { file: item.file.slice(0, 200), content: item.content };
  });
}

function steps(body: Body): Set<string> {
  const only = body.only;
  if (only === undefined || only === null) return new Set(STEPS);
  if (typeof only !== 'string' && !Array.isArray(only)) throw badRequest("field 'only' must be a list of steps");
  const list: unknown[] = Array.isArray(only) ? only : only.split(',');
  const chosen = list.map((step) => String(step).trim()).filter(Boolean);
  if (chosen.length === 0) throw badRequest("field 'only' names no step: use schema, permissions or release");
  for (const step of chosen)
    if (!STEPS.includes(step))
      throw badRequest(`unknown apply step '${step.slice(0, 32)}': use schema, permissions or release`);
  return new Set(chosen);
}

function optionalText(body: Body, field: string): string | null {
  const value = body[field];
  if (value === undefined || value === null) return null;
  if (typeof value !== 'string') throw badRequest(`field '${field}' must be a string or null`);
  return value;
}

export function registerApplyRoutes(app: HubApp, deps: HubDeps): void {
  app.post('/api/apply', async (c) => {
    const { body, operator, project, env } = await scopedBody(c, deps, 'deployer');
    const ref = str(body, 'ref');
    if (ref.length > MAX_REF_LENGTH) throw badRequest(`field 'ref' is longer than ${MAX_REF_LENGTH} characters`);
    const chosen = steps(body);
    const dryRun = bool(body, 'dry_run');
    const force = bool(body, 'force');
    const files = schemaFiles(body);
    const permissionsText = optionalText(body, 'permissions');
    const storageText = optionalText(body, 'storage');
    await requireEnv(deps.store, project, env);
    const declared = parseSchemaFiles(files);
    const release: ReleaseBody = {
      schema: { tables: declared.model.tables },
      permissions: parsePermissions(permissionsText, declared.model),
      storage: parseStorage(storageText),
      logics: parseLogics(body.logics),
    };
    const connections = await usedConnections(deps, project, env, declared);
    const previous = (await currentRelease(deps.store, project, env))?.body.schema as SchemaModel | undefined;
    const plans = chosen.has('schema') ? await planAll(deps, connections, declared, previous) : [];
    const plan = plans.flatMap((entry) => entry.items);
    if (dryRun) return c.json({ release_id: null, reused: false, dry_run: true, plan });
    assertForced(plans, force);
    const releaseStep = chosen.has('release') || chosen.has('permissions');
    const touched = plans.map((entry) => entry.connection);
    if (releaseStep) await assertNoDrift(deps, project, env, touched);
    await runPlans(plans);
    if (touched.length > 0) await takeBaselines(deps, project, env, touched);
    if (!releaseStep) return c.json({ release_id: null, reused: false, dry_run: false, plan });
    return c.json({ ...(await commitRelease(deps, { project, env, ref, operator }, release)), dry_run: false, plan });
  });
}
