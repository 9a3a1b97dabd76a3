/**
 * `db/<table>/select` (CRUD-001, -003, -004; SECURITY-001…004): where,
 * orderBy (keys in order, primary key as tiebreaker), limit 0…1000 (default
 * 100), offset, columns, expand; every check before any SQL; rows come back
 * with the columns the winning rule lets the caller read.
 */
import { conditionSql } from './conditions.ts';
import { arg, argsOf, poolFor, run, type CrudContext, type Row } from './crud-kit.ts';
import { badRequest, unknownColumn } from './errors.ts';
import { attachExpansions, planExpand } from './expand.ts';
import { quote, type Table } from './model.ts';
import { pickRule, requireReadable, ruleColumns } from './rules.ts';
import { Params } from './sql.ts';
import { readRow } from './values.ts';
import { compileWhere, isPlainObject } from './where.ts';

const MAX_LIMIT = 1_000;
const DEFAULT_LIMIT = 100;

function declared(table: Table, name: string, readable: readonly string[]): string {
  if (!table.columns.has(name)) throw unknownColumn(name);
  requireReadable([name], readable);
  return name;
}

function orderBy(table: Table, value: unknown, readable: readonly string[]): string {
  if (value !== undefined && value !== null && !isPlainObject(value))
    throw badRequest('orderBy must be an object of column → "asc" | "desc"');
  const parts = Object.entries(value ?? {}).map(([name, direction]) => {
    declared(table, name, readable);
    const dir = typeof direction === 'string' ? direction.toLowerCase() : '';
    if (dir !== 'asc' && dir !== 'desc') throw badRequest(`orderBy direction for '${name}' must be "asc" or "desc"`);
    return [name, `${quote(name)} ${dir.toUpperCase()}`] as const;
  });
  if (!parts.some(([name]) => name === table.id.name)) parts.push([table.id.name, `${quote(table.id.name)} ASC`]);
  return parts.map(([, sql]) => sql).join(', ');
}

function whole(value: unknown, name: string, fallback: number, max: number): number {
  if (value === undefined || value === null) return fallback;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 0 || value > max) {
    throw badRequest(
      max === Number.MAX_SAFE_INTEGER
        ? `${name} must be a non-negative integer`
        : `${name} must be an integer from 0 to ${max}`,
    );
  }
  return value;
}

function chosenColumns(table: Table, value: unknown, readable: readonly string[]): string[] {
  if (value === undefined || value === null) return [...readable];
  if (!Array.isArray(value) || value.length === 0 || !value.every((name) => typeof name === 'string')) {
    throw badRequest('columns must be a non-empty array of column names');
  }
  return [...new Set(value.map((name: string) => declared(table, name, readable)))];
}

export async function select(ctx: CrudContext, table: Table, params: unknown): Promise<Row[]> {
  const rule = pickRule(ctx.release, table, 'select', ctx.caller);
  const args = argsOf(params);
  const readable = ruleColumns(rule, table);
  const sql = new Params();
  const where = compileWhere(table, arg(args, 'where'), sql, readable);
  const order = orderBy(table, arg(args, 'orderBy'), readable);
  const limit = whole(arg(args, 'limit'), 'limit', DEFAULT_LIMIT, MAX_LIMIT);
  const offset = whole(arg(args, 'offset'), 'offset', 0, Number.MAX_SAFE_INTEGER);
  const columns = chosenColumns(table, arg(args, 'columns'), readable);
  const expansions = planExpand(ctx, table, arg(args, 'expand'));
  where.push(...conditionSql(rule, table, ctx.caller, sql));
  // Foreign keys an expansion needs are fetched even when the caller did not ask for them, then dropped.
  const fetched = [...new Set([...columns, ...expansions.map((expansion) => expansion.foreignKey)])];
  const text =
    `SELECT ${fetched.map(quote).join(', ')} FROM ${quote(table.name)}${where.length > 0 ? ` WHERE ${where.join(' AND ')}` : ''}` +
    ` ORDER BY ${order} LIMIT ${sql.add(limit, 'bigint')} OFFSET ${sql.add(offset, 'bigint')}`;
  const rows = (await run(poolFor(ctx, table), text, sql.values)).rows.map((row) => readRow(table, row));
  await attachExpansions(ctx, rows, expansions);
  const helpers = fetched.filter((name) => !columns.includes(name));
  for (const row of rows)
    for (const name of helpers) if (!expansions.some((expansion) => expansion.relation === name)) delete row[name];
  return rows;
}
