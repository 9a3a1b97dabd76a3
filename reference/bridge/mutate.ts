/**
 * `db/<table>/update` and `db/<table>/delete` (CRUD-002). The permission
 * rule comes first, then the where safety gate: a missing, non-object or
 * empty `where` is 400 and no SQL runs. The rule's row filter is ANDed into
 * the statement, so only rows the caller may touch change. Update answers
 * the changed rows as they now are (the caller's readable columns), delete
 * `{ affected }`.
 */
import { conditionSql } from './conditions.ts';
import { arg, argsOf, poolFor, run, type Args, type CrudContext, type Row } from './crud-kit.ts';
import { returnedColumns } from './insert.ts';
import { badRequest, unknownColumn } from './errors.ts';
import { quote, type Rule, type Table } from './model.ts';
import { matchingRule, pickRule, requireWritable, ruleColumns } from './rules.ts';
import { Params } from './sql.ts';
import { fileCascade } from './storage-cascade.ts';
import { castOf, checkValue, readRow } from './values.ts';
import { compileWhere, isPlainObject } from './where.ts';

function assignments(table: Table, rule: Rule, args: Args, sql: Params): string {
  const data = Object.hasOwn(args, 'data') ? args.data : arg(args, 'values');
  if (!isPlainObject(data) || Object.keys(data).length === 0)
    throw badRequest('update requires non-empty data: an object of column → new value');
  for (const name of Object.keys(data)) if (!table.columns.has(name)) throw unknownColumn(name);
  if (Object.hasOwn(data, table.id.name)) throw badRequest(`the primary key '${table.id.name}' cannot be changed`);
  requireWritable(Object.keys(data), ruleColumns(rule, table));
  return Object.entries(data)
    .map(([name, value]) => {
      const column = table.columns.get(name);
      if (!column) throw unknownColumn(name);
      return `${quote(name)} = ${sql.add(checkValue(name, column, value), castOf(column))}`;
    })
    .join(', ');
}

export async function mutate(
  ctx: CrudContext,
  table: Table,
  op: 'update' | 'delete',
  params: unknown,
): Promise<Row[] | { affected: number }> {
  const rule = pickRule(ctx.release, table, op, ctx.caller);
  const args = argsOf(params);
  const where = arg(args, 'where');
  if (!isPlainObject(where) || Object.keys(where).length === 0) throw badRequest(`${op} requires a non-empty where`);
  const sql = new Params();
  // Filtering may only use columns the caller could read, so affected counts cannot probe hidden values.
  const readRule = matchingRule(ctx.release, table, 'select', ctx.caller);
  const filters = compileWhere(table, where, sql, readRule ? ruleColumns(readRule, table) : undefined);
  const set = op === 'update' ? assignments(table, rule, args, sql) : '';
  filters.push(...conditionSql(rule, table, ctx.caller, sql));
  const cascade = op === 'delete' ? fileCascade(ctx.cascade, ctx.release, ctx.caller, table) : undefined;
  const text =
    op === 'update'
      ? `UPDATE ${quote(table.name)} SET ${set} WHERE ${filters.join(' AND ')} RETURNING ${returnedColumns(ctx, table).map(quote).join(', ')}`
      : `DELETE FROM ${quote(table.name)} WHERE ${filters.join(' AND ')}${cascade ? ` RETURNING ${cascade.returning}` : ''}`;
  const result = await run(poolFor(ctx, table), text, sql.values);
  if (op === 'update') return result.rows.map((row) => readRow(table, row));
  // The statement has committed: the objects of the deleted rows go in the background (STORAGE-005).
  cascade?.start(result.rows);
  return { affected: result.rowCount ?? 0 };
}
