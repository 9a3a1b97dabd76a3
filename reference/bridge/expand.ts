/**
 * `expand: ["<as>", …]` on select (CRUD-003): one level along this table's
 * declared `references`, under the caller's `select` rule on the related
 * table (403 without one), with that rule's row filter and column list, in
 * one query per relation. A hidden or missing related row is `null`.
 */
import type { Caller } from './credentials.ts';
import { conditionSql } from './conditions.ts';
import { poolFor, run, type CrudContext, type Row } from './crud-kit.ts';
import { badRequest } from './errors.ts';
import { findTable, quote, type Table } from './model.ts';
import { pickRule, ruleColumns } from './rules.ts';
import { Params } from './sql.ts';
import { castOf, readRow } from './values.ts';

export interface Expansion {
  readonly relation: string;
  readonly foreignKey: string;
  readonly target: Table;
  readonly keyColumn: string;
  readonly readable: readonly string[];
  /** Holds the related rule's filter values; the key list is added last. */
  readonly params: Params;
  readonly filters: readonly string[];
}

function plan(ctx: CrudContext, table: Table, relation: string, caller: Caller): Expansion {
  const unknown = () => badRequest(`unknown expand relation: ${relation.slice(0, 64)}`);
  const entry = [...table.columns].find(([, column]) => column.references?.as === relation);
  if (!entry) throw unknown();
  const [foreignKey, column] = entry;
  const target = findTable(ctx.release, column.references?.table ?? '');
  const keyColumn = column.references?.column ?? target?.id.name ?? '';
  if (!target || !target.columns.has(keyColumn)) throw unknown();
  const rule = pickRule(ctx.release, target, 'select', caller);
  const params = new Params();
  const filters = conditionSql(rule, target, caller, params);
  return { relation, foreignKey, target, keyColumn, readable: ruleColumns(rule, target), params, filters };
}

/** Validates `expand` and the caller's rights on every related table, before any SQL. */
export function planExpand(ctx: CrudContext, table: Table, expand: unknown): Expansion[] {
  if (expand === undefined || expand === null) return [];
  if (!Array.isArray(expand) || !expand.every((name) => typeof name === 'string'))
    throw badRequest('expand must be an array of relation names');
  return [...new Set(expand)].map((relation) => plan(ctx, table, relation, ctx.caller));
}

async function related(ctx: CrudContext, expansion: Expansion, keys: string[]): Promise<Map<string, Row>> {
  const { target, keyColumn, readable, params } = expansion;
  const keyColumnDef = target.columns.get(keyColumn);
  const list = params.add(keys, `${keyColumnDef ? castOf(keyColumnDef) : 'text'}[]`);
  const columns = [...new Set([keyColumn, ...readable])];
  const text = `SELECT ${columns.map(quote).join(', ')} FROM ${quote(target.name)} WHERE ${[`${quote(keyColumn)} = ANY(${list})`, ...expansion.filters].join(' AND ')}`;
  const rows = (await run(poolFor(ctx, target), text, params.values)).rows;
  const byKey = new Map<string, Row>();
  for (const row of rows) {
    const shaped = readRow(target, row);
    if (!readable.includes(keyColumn)) delete shaped[keyColumn];
    byKey.set(String(row[keyColumn]), shaped);
  }
  return byKey;
}

export async function attachExpansions(ctx: CrudContext, rows: Row[], expansions: readonly Expansion[]): Promise<void> {
  for (const expansion of expansions) {
    const keyOf = (row: Row) =>
      row[expansion.foreignKey] === null || row[expansion.foreignKey] === undefined
        ? undefined
        : String(row[expansion.foreignKey]);
    const keys = [...new Set(rows.map(keyOf).filter((key): key is string => key !== undefined))];
    const byKey = keys.length > 0 ? await related(ctx, expansion, keys) : new Map<string, Row>();
    for (const row of rows) {
      const key = keyOf(row);
      row[expansion.relation] = key === undefined ? null : (byKey.get(key) ?? null);
    }
  }
}
