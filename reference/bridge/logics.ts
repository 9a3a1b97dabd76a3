/**
 * `logics/<name>`: front-matter (auth, roles, params, condition) checked in
 * order — lookup 404, auth 401, roles 403, params 400, condition — then the
 * SQL with every `:name` bound as a real parameter.
 */
import { parse as parseYaml } from 'yaml';
import type { ReleasePayload } from '../shared/contract.ts';
import { badRequest, forbidden, HttpError, notFound, unauthorized } from '../shared/http-error.ts';
import type { Caller } from './credentials.ts';
import type { Pools } from './pools.ts';
import { checkGate, effectiveRoles } from './rules.ts';

interface ParamSpec {
  readonly type?: string;
  readonly required?: boolean;
  readonly default?: unknown;
}

interface Logic {
  readonly auth: 'public' | 'authenticated';
  readonly roles: readonly string[];
  readonly params: Readonly<Record<string, ParamSpec>>;
  readonly condition?: string;
  readonly sql: string;
}

function parseLogic(text: string): Logic {
  const match = /^---\r?\n([\s\S]*?)\r?\n---\r?\n?([\s\S]*)$/.exec(text);
  const front = (match ? parseYaml(match[1] ?? '') : {}) as Record<string, unknown> | null;
  return {
    auth: front?.auth === 'public' ? 'public' : 'authenticated',
    roles: Array.isArray(front?.roles) ? (front.roles as unknown[]).map(String) : [],
    params: (front?.params ?? {}) as Record<string, ParamSpec>,
    ...(typeof front?.condition === 'string' ? { condition: front.condition } : {}),
    sql: (match ? match[2] : text) ?? '',
  };
}

const TYPES: Record<string, (value: unknown) => boolean> = {
  string: (value) => typeof value === 'string',
  int: (value) => typeof value === 'number' && Number.isInteger(value),
  float: (value) => typeof value === 'number',
  boolean: (value) => typeof value === 'boolean',
  json: () => true,
};

function bindParams(logic: Logic, given: Record<string, unknown>): Record<string, unknown> {
  for (const name of Object.keys(given)) if (!(name in logic.params)) throw badRequest(`unknown param '${name.slice(0, 64)}'`);
  const bound: Record<string, unknown> = {};
  for (const [name, spec] of Object.entries(logic.params)) {
    const value = name in given ? given[name] : spec.default;
    if (value === undefined) {
      if (spec.required) throw badRequest(`missing required param '${name}'`);
      bound[name] = null;
      continue;
    }
    const fits = TYPES[spec.type ?? 'string'] ?? TYPES.string;
    if (value === null || !fits?.(value)) throw badRequest(`param '${name}' must be a ${spec.type ?? 'string'}`);
    bound[name] = spec.type === 'json' ? JSON.stringify(value) : value;
  }
  return bound;
}

/** Replaces `:name` and `:auth.sub` (outside quoted strings) with $n placeholders. */
function placeholders(sql: string, params: Record<string, unknown>, caller: Caller): { text: string; values: unknown[] } {
  const values: unknown[] = [];
  const system: Record<string, unknown> = { 'auth.sub': caller.sub ?? null, 'auth.roles': [...caller.roles] };
  const text = sql.replace(/'(?:[^']|'')*'|::|:([a-z_][a-z0-9_]*(?:\.[a-z_]+)?)/gi, (token, name: string | undefined) => {
    if (name === undefined) return token;
    const value = name in system ? system[name] : name in params ? params[name] : undefined;
    if (value === undefined) throw new HttpError('BAD_REQUEST', `logic uses undeclared param '${name}'`);
    values.push(value);
    return `$${values.length}`;
  });
  return { text, values };
}

export async function runLogic(release: ReleasePayload, caller: Caller, pools: Pools, name: string, given: Record<string, unknown>): Promise<unknown> {
  const text = release.logics[name];
  if (text === undefined) throw notFound(`logic '${name.slice(0, 64)}' not found`);
  const logic = parseLogic(text);
  if (logic.auth === 'authenticated' && caller.kind === 'anonymous') throw unauthorized('this logic needs a credential');
  if (logic.roles.length > 0 && !logic.roles.some((role) => effectiveRoles(caller).includes(role))) throw forbidden('role required by this logic');
  const params = bindParams(logic, given);
  if (logic.condition) checkGate(logic.condition, caller, params);
  const connection = release.connections.main;
  if (!connection) throw new HttpError('SERVICE_UNAVAILABLE', "connection 'main' is not configured");
  const { text: sql, values } = placeholders(logic.sql, params, caller);
  const result = await pools.pool(connection.db_url).query(sql, values);
  return result.fields.length > 0 ? result.rows : { affected: result.rowCount ?? 0 };
}
