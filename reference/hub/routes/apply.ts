/** `POST /api/apply`: validate the bundle, plan and run DDL per connection, then create or reuse a release. */
import type { HubApp, HubDeps } from '../deps.ts';
import { assertNoDrift, takeBaselines } from '../drift.ts';
import { badRequest, conflict } from '../../shared/http-error.ts';
import { bool, str, type Body } from '../http.ts';
import { scopedBody } from './scope.ts';
import { contentHash, createRelease, currentRelease, findReusable, movePointer, type ReleaseBody } from '../releases.ts';
import { introspect, withDatabase } from '../schema/introspect.ts';
import type { SchemaModel } from '../schema/model.ts';
import { checkLogics, parsePermissions, parseStorage } from '../schema/parse-bundle.ts';
import { invalid, parseSchemaFiles, type SourceFile } from '../schema/parse-schema.ts';
import { planConnection, type PlanItem } from '../schema/plan-ddl.ts';
import { connectionsOf, requireEnv } from './lookup.ts';

const STEPS = ['schema', 'permissions', 'release'];

function schemaFiles(body: Body): SourceFile[] {
  const raw = body.schema ?? [];
  if (!Array.isArray(raw)) throw badRequest("field 'schema' must be a list");
  return raw.map((entry: unknown, index) => {
    if (typeof entry === 'string') return { file: `schema[${index}]`, content: entry };
    const item = entry as { file?: unknown; content?: unknown } | null;
    if (typeof item?.file !== 'string' || typeof item.content !== 'string') throw badRequest(`schema[${index}] must be a string or {file, content}`);
    return { file: item.file, content: item.content };
  });
}

function steps(body: Body): Set<string> {
  const only = body.only;
  if (only === undefined || only === null) return new Set(STEPS);
  const list = Array.isArray(only) ? only : String(only).split(',');
  const chosen = list.map((step) => String(step).trim()).filter(Boolean);
  for (const step of chosen) if (!STEPS.includes(step)) throw badRequest(`unknown apply step '${step}': use schema, permissions or release`);
  return new Set(chosen);
}

async function planAll(deps: HubDeps, project: string, env: string, schema: SchemaModel, previous: SchemaModel | undefined) {
  const connections = await connectionsOf(deps.store, project, env);
  const used = new Set(Object.values(schema.tables).map((table) => table.connection));
  for (const connection of used) {
    if (!connections.some((row) => row.name === connection)) {
      const table = Object.entries(schema.tables).find(([, def]) => def.connection === connection)?.[0] ?? '';
      throw invalid('schema', `tables.${table}.connection`, `connection '${connection}' does not exist in env '${env}'`);
    }
  }
  const plans: { connection: string; url: string; items: PlanItem[] }[] = [];
  for (const row of connections.filter((candidate) => used.has(candidate.name))) {
    const url = deps.sealer.open(row.sealed_url);
    const live = await withDatabase(url, introspect).catch(() => {
      throw badRequest(`connection failed: ${row.name}`);
    });
    plans.push({ connection: row.name, url, items: planConnection(row.name, schema, previous, live) });
  }
  return plans;
}

async function runPlans(plans: readonly { connection: string; url: string; items: PlanItem[] }[]): Promise<void> {
  for (const plan of plans) {
    if (plan.items.length === 0) continue;
    await withDatabase(plan.url, async (client) => {
      await client.query('BEGIN');
      try {
        for (const item of plan.items) await client.query(item.sql);
        await client.query('COMMIT');
      } catch (error) {
        await client.query('ROLLBACK').catch(() => undefined);
        const code = (error as { code?: string }).code ?? '';
        throw badRequest(`schema change failed on connection ${plan.connection} (${code.startsWith('23') ? 'existing rows violate a constraint' : `SQLSTATE ${code || 'unknown'}`})`);
      }
    });
  }
}

export function registerApplyRoutes(app: HubApp, deps: HubDeps): void {
  app.post('/api/apply', async (c) => {
    const { body, operator, project, env } = await scopedBody(c, deps, 'deployer');
    const ref = str(body, 'ref');
    const chosen = steps(body);
    const dryRun = bool(body, 'dry_run');
    const force = bool(body, 'force');
    await requireEnv(deps.store, project, env);
    const schema = parseSchemaFiles(schemaFiles(body));
    const release: ReleaseBody = {
      schema: { tables: schema.tables },
      permissions: parsePermissions(body.permissions as string | null, schema),
      storage: parseStorage(body.storage as string | null),
      logics: checkLogics(body.logics as Record<string, unknown> | null),
    };
    const previous = await currentRelease(deps.store, project, env);
    const plans = chosen.has('schema') ? await planAll(deps, project, env, schema, previous?.body.schema as SchemaModel | undefined) : [];
    const plan = plans.flatMap((entry) => entry.items.map(({ label: _label, ...item }) => item));
    if (dryRun) return c.json({ release_id: null, reused: false, dry_run: true, plan });
    const destructive = plans.flatMap((entry) => entry.items.filter((item) => item.destructive).map((item) => item.label ?? item.action));
    if (destructive.length > 0 && !force) throw conflict(`destructive changes require force: ${destructive.join(', ')}`, { operations: destructive });
    const releaseStep = chosen.has('release') || chosen.has('permissions');
    const touched = plans.map((entry) => entry.connection);
    if (releaseStep) await assertNoDrift(deps, project, env, touched);
    await runPlans(plans);
    if (touched.length > 0) await takeBaselines(deps, project, env, touched);
    if (!releaseStep) return c.json({ release_id: null, reused: false, dry_run: false, plan });
    return c.json({ ...(await commitRelease(deps, project, env, ref, release, operator)), dry_run: false, plan });
  });
}

async function commitRelease(deps: HubDeps, project: string, env: string, ref: string, release: ReleaseBody, operator: string) {
  const reusable = await findReusable(deps.store, project, env, ref, contentHash(release));
  const id = reusable ?? (await createRelease(deps.store, project, env, ref, release));
  const current = await currentRelease(deps.store, project, env);
  if (current?.id !== id) await movePointer(deps.store, project, env, id, 'apply', operator);
  return { release_id: id, reused: reusable !== undefined };
}

