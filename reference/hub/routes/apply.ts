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
import { openProjectDatabases } from '../schema/introspect.ts';
import type { ParsedSchema, SchemaModel } from '../schema/model.ts';
import { parsePermissions } from '../schema/parse-bundle.ts';
import { parseStorage } from '../schema/parse-storage.ts';
import { parseLogics } from '../schema/parse-logics.ts';
import { parseSchemaFiles, type SourceFile } from '../schema/parse-schema.ts';
import type { PlanItem } from '../schema/plan-ddl.ts';
import { requireEnv, type ConnectionRow } from './lookup.ts';
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

interface ApplyRequest {
  readonly ref: string;
  readonly chosen: Set<string>;
  readonly dryRun: boolean;
  readonly force: boolean;
  readonly files: SourceFile[];
  readonly permissions: string | null;
  readonly storage: string | null;
}

/** The body's fields, checked in this order so the first bad one is the one reported. */
function readRequest(body: Body): ApplyRequest {
  const ref = str(body, 'ref');
  if (ref.length > MAX_REF_LENGTH) throw badRequest(`field 'ref' is longer than ${MAX_REF_LENGTH} characters`);
  return {
    ref,
    chosen: steps(body),
    dryRun: bool(body, 'dry_run'),
    force: bool(body, 'force'),
    files: schemaFiles(body),
    permissions: optionalText(body, 'permissions'),
    storage: optionalText(body, 'storage'),
  };
}

const releaseStep = (chosen: Set<string>) => chosen.has('release') || chosen.has('permissions');

interface SchemaTarget {
  readonly project: string;
  readonly env: string;
  readonly connections: readonly ConnectionRow[];
  readonly declared: ParsedSchema;
  readonly previous: SchemaModel | undefined;
}

/**
 * Plans the DDL, then (unless a dry run) refuses destruction without force, runs the drift gate, runs the DDL
 * and re-baselines: one client per used database for all of it, closed on every path. Returns the plan.
 */
async function changeSchema(deps: HubDeps, target: SchemaTarget, request: ApplyRequest): Promise<PlanItem[]> {
  const { project, env } = target;
  const databases = openProjectDatabases();
  try {
    const plans = request.chosen.has('schema')
      ? await planAll(deps, databases, target.connections, target.declared, target.previous)
      : [];
    if (request.dryRun) return plans.flatMap((entry) => entry.items);
    assertForced(plans, request.force);
    const touched = plans.map((entry) => entry.connection);
    if (releaseStep(request.chosen)) await assertNoDrift(deps, project, env, { skip: touched, databases });
    await runPlans(databases, plans);
    if (touched.length > 0) await takeBaselines(deps, project, env, { only: touched, databases });
    return plans.flatMap((entry) => entry.items);
  } finally {
    await databases.close();
  }
}

export function registerApplyRoutes(app: HubApp, deps: HubDeps): void {
  app.post('/api/apply', async (c) => {
    const { body, operator, project, env } = await scopedBody(c, deps, 'deployer');
    const request = readRequest(body);
    await requireEnv(deps.store, project, env);
    const declared = parseSchemaFiles(request.files);
    const release: ReleaseBody = {
      schema: { tables: declared.model.tables },
      permissions: parsePermissions(request.permissions, declared.model),
      storage: parseStorage(request.storage),
      logics: parseLogics(body.logics),
    };
    const connections = await usedConnections(deps, project, env, declared);
    const previous = (await currentRelease(deps.store, project, env))?.body.schema as SchemaModel | undefined;
    const plan = await changeSchema(deps, { project, env, connections, declared, previous }, request);
    if (request.dryRun) return c.json({ release_id: null, reused: false, dry_run: true, plan });
    if (!releaseStep(request.chosen)) return c.json({ release_id: null, reused: false, dry_run: false, plan });
    const { ref } = request;
    return c.json({ ...(await commitRelease(deps, { project, env, ref, operator }, release)), dry_run: false, plan });
  });
}
