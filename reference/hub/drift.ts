/** Baselines and drift per env connection (plan/spec/drift.md). */
import type { HubDeps } from './deps.ts';
import { badRequest, HttpError } from '../shared/http-error.ts';
import { connectionsOf, type ConnectionRow } from './routes/lookup.ts';
import {
  diffSchemas,
  introspect,
  withProjectDatabases,
  type LiveSchema,
  type ProjectDatabases,
} from './schema/introspect.ts';
import { idColumnType, sqlType, type SchemaModel } from './schema/model.ts';

export interface ConnectionDrift {
  readonly connection: string;
  readonly issues: readonly string[];
}

/** Which connections to look at (all when absent), and the request's open databases to reuse, if any. */
export interface DriftOptions {
  readonly only?: readonly string[];
  readonly skip?: readonly string[];
  readonly databases?: ProjectDatabases;
}

async function introspectConnection(
  deps: HubDeps,
  databases: ProjectDatabases,
  row: ConnectionRow,
): Promise<LiveSchema> {
  try {
    return await introspect(await databases.client(row.name, deps.sealer.open(row.sealed_url)));
  } catch {
    throw badRequest(`connection failed: ${row.name}`);
  }
}

async function liveSchemas(deps: HubDeps, connections: readonly ConnectionRow[], shared?: ProjectDatabases) {
  return withProjectDatabases(async (databases) => {
    const snapshots: { connection: string; live: LiveSchema }[] = [];
    for (const row of connections)
      snapshots.push({ connection: row.name, live: await introspectConnection(deps, databases, row) });
    return snapshots;
  }, shared);
}

/** Introspects the env's connections (or only `only`) and stores them as baselines, all or nothing. */
export async function takeBaselines(deps: HubDeps, project: string, env: string, options: DriftOptions = {}) {
  const { only } = options;
  const connections = (await connectionsOf(deps.store, project, env)).filter((row) => !only || only.includes(row.name));
  const snapshots = await liveSchemas(deps, connections, options.databases);
  const taken = await deps.store.transaction(async (query) => {
    const stamps: (Date | undefined)[] = [];
    for (const { connection, live } of snapshots) {
      const rows = await query<{ taken_at: Date }>(
        `INSERT INTO hub_schema_baselines (project, env, connection, snapshot) VALUES ($1, $2, $3, $4)
         ON CONFLICT (project, env, connection) DO UPDATE SET snapshot = EXCLUDED.snapshot, taken_at = now() RETURNING taken_at`,
        [project, env, connection, JSON.stringify(live)],
      );
      stamps.push(rows[0]?.taken_at);
    }
    return stamps;
  });
  return snapshots.map(({ connection, live }, index) => ({
    connection,
    taken_at: taken[index],
    tables: Object.entries(live).map(([name, columns]) => ({
      name,
      columns: Object.entries(columns).map(([column, info]) => ({ name: column, ...info })),
    })),
  }));
}

/** Every baselined connection of the env with its issues (empty when it matches). */
export async function measureDrift(
  deps: HubDeps,
  project: string,
  env: string,
  shared?: ProjectDatabases,
): Promise<ConnectionDrift[]> {
  const baselines = await deps.store.query<{ connection: string; snapshot: LiveSchema }>(
    `SELECT connection, snapshot FROM hub_schema_baselines WHERE project = $1 AND env = $2 ORDER BY connection`,
    [project, env],
  );
  const connections = await connectionsOf(deps.store, project, env);
  return withProjectDatabases(async (databases) => {
    const result: ConnectionDrift[] = [];
    for (const baseline of baselines) {
      const row = connections.find((candidate) => candidate.name === baseline.connection);
      if (!row) continue;
      result.push({
        connection: baseline.connection,
        issues: diffSchemas(baseline.snapshot, await introspectConnection(deps, databases, row)),
      });
    }
    return result;
  }, shared);
}

/** 409 SCHEMA_DRIFT naming each drifted connection and issue. */
export async function assertNoDrift(
  deps: HubDeps,
  project: string,
  env: string,
  options: DriftOptions = {},
): Promise<void> {
  const { skip = [] } = options;
  const drifted = (await measureDrift(deps, project, env, options.databases)).filter(
    (entry) => entry.issues.length > 0 && !skip.includes(entry.connection),
  );
  if (drifted.length === 0) return;
  const message = `schema drift detected${drifted.map((entry) => ` on connection ${entry.connection}: ${entry.issues.join(', ')}`).join(';')}`;
  throw new HttpError('SCHEMA_DRIFT', message, { project, env, drift: drifted });
}

/** What the env's database lacks for the release's schema: missing tables, missing columns, other types. */
function incompatibilities(schema: SchemaModel, connection: string, live: LiveSchema): string[] {
  const issues: string[] = [];
  for (const [name, table] of Object.entries(schema.tables)) {
    if (table.connection !== connection) continue;
    const columns = live[name];
    if (!columns) {
      issues.push(`missing table ${name}`);
      continue;
    }
    const expected: [string, string][] = [
      [table.id.name, idColumnType(table)],
      ...Object.entries(table.columns).map(([column, def]): [string, string] => [column, sqlType(def)]),
    ];
    for (const [column, type] of expected) {
      const found = columns[column];
      if (!found) issues.push(`missing column ${name}.${column}`);
      else if (found.type !== type) issues.push(`type changed ${name}.${column}: ${type} -> ${found.type}`);
    }
  }
  return issues;
}

/**
 * Promote's compatibility rule (OPERATOR-005, final.md §4.4.1): every connection the release's schema uses
 * must exist in the target env, and its database must already hold the release's tables and columns with
 * their declared types (promotion runs no DDL). Otherwise 409 SCHEMA_DRIFT naming what is missing.
 */
export async function assertCompatible(
  deps: HubDeps,
  project: string,
  env: string,
  schema: SchemaModel,
): Promise<void> {
  const connections = await connectionsOf(deps.store, project, env);
  const used = [...new Set(Object.values(schema.tables).map((table) => table.connection))].sort();
  const found: ConnectionDrift[] = [];
  await withProjectDatabases(async (databases) => {
    for (const name of used) {
      const row = connections.find((candidate) => candidate.name === name);
      const issues = row
        ? incompatibilities(schema, name, await introspectConnection(deps, databases, row))
        : [`connection ${name} does not exist in env ${env}`];
      if (issues.length > 0) found.push({ connection: name, issues });
    }
  });
  if (found.length === 0) return;
  const message = `target database does not match the release${found.map((entry) => ` on connection ${entry.connection}: ${entry.issues.join(', ')}`).join(';')}`;
  throw new HttpError('SCHEMA_DRIFT', message, { project, env, drift: found });
}
