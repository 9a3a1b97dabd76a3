/** `db/<table>/<op>`: select, insert, update and delete under the caller's permission rule. */
import { randomUUID } from 'node:crypto';
import { ulid } from 'ulid';
import type { ReleasePayload } from '../shared/contract.ts';
import { badRequest, forbidden, HttpError } from '../shared/http-error.ts';
import type { Caller } from './credentials.ts';
import { columnNames, quote, rulesFor, tableOf, type Table } from './model.ts';
import type { Pools } from './pools.ts';
import { allowedColumns, conditionFilters, pickRule } from './rules.ts';
import { Params } from './sql.ts';
import { checkValue } from './values.ts';
import { compileWhere } from './where.ts';
import { expandRows } from './expand.ts';

export type Args = Record<string, unknown>;

export interface CrudRequest {
  readonly release: ReleasePayload;
  readonly caller: Caller;
  readonly pools: Pools;
}

function urlOf(release: ReleasePayload, table: Table): string {
  const connection = release.connections[table.connection];
  if (!connection) throw new HttpError('SERVICE_UNAVAILABLE', `connection '${table.connection}' is not configured`);
  return connection.db_url;
}

function object(value: unknown, what: string): Args {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw badRequest(`${what} must be an object`);
  return value as Args;
}

/** Reading, filtering or sorting on a column the rule does not allow is 403. */
function requireReadable(names: readonly string[], allowed: readonly string[]): void {
  for (const name of names) if (!allowed.includes(name)) throw forbidden(`column '${name}' is not readable`);
}

function orderBy(table: Table, value: unknown, allowed: readonly string[]): string {
  const entries = value === undefined ? [] : Object.entries(object(value, 'orderBy'));
  const parts = entries.map(([name, direction]) => {
    if (!columnNames(table).includes(name)) throw badRequest(`orderBy names unknown column '${name.slice(0, 64)}'`);
    requireReadable([name], allowed);
    const dir = String(direction).toLowerCase();
    if (dir !== 'asc' && dir !== 'desc') throw badRequest(`orderBy direction must be asc or desc`);
    return `${quote(name)} ${dir.toUpperCase()}`;
  });
  return [...parts, `${quote(table.id.name)} ASC`].join(', ');
}

function bound(value: unknown, name: string, fallback: number, max: number): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 0 || value > max) throw badRequest(`${name} must be a whole number from 0 to ${max}`);
  return value;
}

export async function select(request: CrudRequest, table: Table, args: Args): Promise<unknown> {
  const rule = pickRule(rulesFor(request.release, table.name, 'select'), request.caller);
  const allowed = allowedColumns(rule, table);
  const where = args.where === undefined ? {} : object(args.where, 'where');
  requireReadable(Object.keys(where).filter((name) => columnNames(table).includes(name)), allowed);
  if (args.columns !== undefined && !Array.isArray(args.columns)) throw badRequest('columns must be a list');
  const requested = args.columns === undefined ? allowed : (args.columns as unknown[]).map(String);
  for (const name of requested) if (!columnNames(table).includes(name)) throw badRequest(`unknown column '${name.slice(0, 64)}'`);
  requireReadable(requested, allowed);
  const params = new Params();
  const filters = [...compileWhere(table, where, params), ...conditionFilters(rule, table, request.caller, params)];
  const limit = bound(args.limit, 'limit', 100, 1000);
  const offset = bound(args.offset, 'offset', 0, Number.MAX_SAFE_INTEGER);
  const sql = `SELECT ${requested.map(quote).join(', ')} FROM ${quote(table.name)}${filters.length ? ` WHERE ${filters.join(' AND ')}` : ''} ORDER BY ${orderBy(table, args.orderBy, allowed)} LIMIT ${limit} OFFSET ${offset}`;
  const rows = (await request.pools.pool(urlOf(request.release, table)).query(sql, params.values)).rows as Args[];
  return args.expand === undefined ? rows : expandRows(request, table, rows, args.expand);
}

function newId(table: Table, values: Args): unknown {
  const supplied = values[table.id.name];
  if (table.id.generate === 'client') {
    if (typeof supplied !== 'string' || supplied === '') throw new HttpError('SCHEMA_VALIDATION_FAILED', `column '${table.id.name}': a client id is required`, { column: table.id.name });
    return supplied;
  }
  if (supplied !== undefined) throw new HttpError('SCHEMA_VALIDATION_FAILED', `column '${table.id.name}': ids are generated (${table.id.generate})`, { column: table.id.name });
  return table.id.generate === 'ulid' ? ulid() : table.id.generate.startsWith('uuid') ? randomUUID() : undefined;
}

function writable(table: Table, values: Args, allowed: readonly string[]): [string, unknown][] {
  return Object.entries(values)
    .filter(([name]) => name !== table.id.name)
    .map(([name, value]) => {
      const column = table.columns[name];
      if (!column) throw new HttpError('SCHEMA_VALIDATION_FAILED', `unknown column '${name.slice(0, 64)}'`, { column: name.slice(0, 64) });
      if (!allowed.includes(name)) throw forbidden(`column '${name}' is not writable`);
      return [name, checkValue(name, column, value)];
    });
}

export async function insert(request: CrudRequest, table: Table, args: Args): Promise<unknown> {
  const rule = pickRule(rulesFor(request.release, table.name, 'insert'), request.caller);
  const values = object(args.values ?? args.data, 'values');
  const id = newId(table, values);
  const entries = writable(table, values, allowedColumns(rule, table));
  if (rule.condition) conditionFilters(rule, table, request.caller, new Params());
  const params = new Params();
  const names = [...(id === undefined ? [] : [table.id.name]), ...entries.map(([name]) => name)];
  const placeholders = [...(id === undefined ? [] : [params.add(id)]), ...entries.map(([name, value]) => params.add(value, castOrNull(table, name)))];
  const readRule = rulesFor(request.release, table.name, 'select');
  const readable = readRule.length ? safeColumns(readRule, request.caller, table) : [table.id.name];
  const sql = `INSERT INTO ${quote(table.name)} (${names.map(quote).join(', ')}) VALUES (${placeholders.join(', ')}) RETURNING ${readable.map(quote).join(', ')}`;
  const rows = (await request.pools.pool(urlOf(request.release, table)).query(sql, params.values)).rows as Args[];
  return rows[0] ?? {};
}

function castOrNull(table: Table, name: string): string | undefined {
  const column = table.columns[name];
  return column?.type === 'json' ? 'jsonb' : undefined;
}

function safeColumns(rules: ReturnType<typeof rulesFor>, caller: Caller, table: Table): string[] {
  try {
    return allowedColumns(pickRule(rules, caller), table);
  } catch {
    return [table.id.name];
  }
}

async function mutate(request: CrudRequest, table: Table, args: Args, op: 'update' | 'delete'): Promise<unknown> {
  const rule = pickRule(rulesFor(request.release, table.name, op), request.caller);
  const where = args.where === undefined || args.where === null ? {} : object(args.where, 'where');
  if (Object.keys(where).length === 0) throw badRequest(`${op} needs a non-empty where`);
  const params = new Params();
  let assignments = '';
  if (op === 'update') {
    const values = object(args.values ?? args.data, 'values');
    if (table.id.name in values) throw badRequest('the primary key cannot be updated');
    const entries = writable(table, values, allowedColumns(rule, table));
    if (entries.length === 0) throw badRequest('update needs at least one value');
    assignments = entries.map(([name, value]) => `${quote(name)} = ${params.add(value, castOrNull(table, name))}`).join(', ');
  }
  const filters = [...compileWhere(table, where, params), ...conditionFilters(rule, table, request.caller, params)];
  const sql = op === 'update'
    ? `UPDATE ${quote(table.name)} SET ${assignments} WHERE ${filters.join(' AND ')}`
    : `DELETE FROM ${quote(table.name)} WHERE ${filters.join(' AND ')}`;
  const result = await request.pools.pool(urlOf(request.release, table)).query(sql, params.values);
  return { affected: result.rowCount ?? 0 };
}

export async function runCrud(request: CrudRequest, tableName: string, op: string, args: Args): Promise<unknown> {
  const table = tableOf(request.release, tableName);
  switch (op) {
    case 'select':
      return select(request, table, args);
    case 'insert':
      return insert(request, table, args);
    case 'update':
    case 'delete':
      return mutate(request, table, args, op);
    default:
      throw badRequest(`unknown operation '${op.slice(0, 32)}': use select, insert, update or delete`);
  }
}
