/** The steps of an apply after validation: plan per connection, run the DDL, create or reuse the release. */
import type pg from 'pg';
import type { HubDeps } from './deps.ts';
import { badRequest, conflict, HttpError } from '../shared/http-error.ts';
import { createOrReuseRelease, currentRelease, movePointer, type ReleaseBody } from './releases.ts';
import { connectionsOf, type ConnectionRow } from './routes/lookup.ts';
import { introspect, introspectUniques, type ProjectDatabases } from './schema/introspect.ts';
import type { ParsedSchema, SchemaModel } from './schema/model.ts';
import { invalid } from './schema/parse-schema.ts';
import { destructiveLabel, planConnection, ULID_FUNCTION_SQL, type PlanItem } from './schema/plan-ddl.ts';

export interface ConnectionPlan {
  readonly connection: string;
  readonly url: string;
  readonly items: readonly PlanItem[];
}

/** The env's connections that the declared schema uses; a connection the env lacks is a schema error. */
export async function usedConnections(
  deps: HubDeps,
  project: string,
  env: string,
  declared: ParsedSchema,
): Promise<ConnectionRow[]> {
  const connections = await connectionsOf(deps.store, project, env);
  const used = new Set<string>();
  for (const [table, def] of Object.entries(declared.model.tables)) {
    if (!connections.some((row) => row.name === def.connection)) {
      throw invalid(
        declared.sources[table] ?? 'schema',
        `tables.${table}.connection`,
        `connection '${def.connection}' does not exist in env '${env}'`,
      );
    }
    used.add(def.connection);
  }
  return connections.filter((row) => used.has(row.name));
}

async function liveOf(databases: ProjectDatabases, connection: string, url: string) {
  const client = await databases.client(connection, url);
  return { columns: await introspect(client), uniques: await introspectUniques(client) };
}

/** Each used connection's DDL plan from its live database, in the order given; opens each database in `databases`. */
export async function planAll(
  deps: HubDeps,
  databases: ProjectDatabases,
  connections: readonly ConnectionRow[],
  declared: ParsedSchema,
  previous: SchemaModel | undefined,
): Promise<ConnectionPlan[]> {
  const plans: ConnectionPlan[] = [];
  for (const row of connections) {
    const url = deps.sealer.open(row.sealed_url);
    const live = await liveOf(databases, row.name, url).catch(() => {
      throw badRequest(`connection failed: ${row.name}`);
    });
    plans.push({
      connection: row.name,
      url,
      items: planConnection({ connection: row.name, declared, previous, live }),
    });
  }
  return plans;
}

/** 409 naming every destructive item, unless the operator passed `force`. */
export function assertForced(plans: readonly ConnectionPlan[], force: boolean): void {
  const operations = plans.flatMap((plan) => plan.items.filter((item) => item.destructive).map(destructiveLabel));
  if (operations.length > 0 && !force)
    throw conflict(`destructive changes require force: ${operations.join(', ')}`, { operations });
}

/** SQLSTATE → error, per the database-error table: the statement and its values never reach the message. */
function ddlFailure(connection: string, error: unknown): HttpError {
  const code = (error as { code?: unknown }).code;
  const state = typeof code === 'string' ? code : '';
  if (state === '23505')
    return conflict(`schema change failed on connection ${connection}: existing rows violate a unique constraint`);
  if (state.startsWith('23'))
    return badRequest(`schema change failed on connection ${connection}: existing rows violate a constraint`);
  if (state.startsWith('22'))
    return badRequest(`schema change failed on connection ${connection}: existing data does not fit`);
  if (state === '') return badRequest(`connection failed: ${connection}`);
  return badRequest(`schema change failed on connection ${connection} (SQLSTATE ${state})`);
}

async function runInTransaction(client: pg.Client, items: readonly PlanItem[]): Promise<void> {
  await client.query('BEGIN');
  try {
    if (items.some((item) => item.sql.includes('stk_ulid()'))) await client.query(ULID_FUNCTION_SQL);
    for (const item of items) await client.query(item.sql);
    await client.query('COMMIT');
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  }
}

/** Each connection's plan runs in one transaction: a failing statement undoes that connection's whole plan. */
export async function runPlans(databases: ProjectDatabases, plans: readonly ConnectionPlan[]): Promise<void> {
  for (const plan of plans) {
    if (plan.items.length === 0) continue;
    try {
      await runInTransaction(await databases.client(plan.connection, plan.url), plan.items);
    } catch (error) {
      throw ddlFailure(plan.connection, error);
    }
  }
}

export async function commitRelease(
  deps: HubDeps,
  scope: { project: string; env: string; ref: string; operator: string },
  body: ReleaseBody,
) {
  const { project, env, ref, operator } = scope;
  const release = await createOrReuseRelease(deps.store, project, env, ref, body);
  const current = await currentRelease(deps.store, project, env);
  if (current?.id !== release.id) {
    await movePointer(deps.store, project, env, release.id, 'apply', operator);
    await deps.events?.publish({ scope: 'release', project, env });
  }
  return { release_id: release.id, reused: release.reused };
}
