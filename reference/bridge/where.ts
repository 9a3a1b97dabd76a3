/** `where` objects → SQL: `{col: v}`, `{col: null}`, `{col: {$eq,$ne,$gt,$gte,$lt,$lte,$in}}`; columns only from the schema. */
import { badRequest, HttpError } from '../shared/http-error.ts';
import { columnNames, quote, type Table } from './model.ts';
import type { Params } from './sql.ts';
import { castOf } from './values.ts';

const OPERATORS: Record<string, string> = { $eq: '=', $ne: '<>', $gt: '>', $gte: '>=', $lt: '<', $lte: '<=' };

function columnOf(table: Table, name: string) {
  if (!columnNames(table).includes(name)) throw new HttpError('SCHEMA_VALIDATION_FAILED', `unknown column '${name.slice(0, 64)}'`, { column: name.slice(0, 64) });
  return name === table.id.name ? undefined : table.columns[name];
}

function condition(table: Table, name: string, value: unknown, params: Params): string {
  const column = columnOf(table, name);
  const cast = name === table.id.name ? (table.id.generate.startsWith('uuid') ? 'uuid' : table.id.generate === 'auto_increment' ? 'bigint' : 'text') : castOf(column);
  const target = quote(name);
  if (value === null) return `${target} IS NULL`;
  if (typeof value !== 'object' || Array.isArray(value)) return `${target} = ${params.add(value, cast)}`;
  const parts = Object.entries(value as Record<string, unknown>).map(([operator, operand]) => {
    if (operator === '$in') {
      if (!Array.isArray(operand)) throw badRequest(`$in on '${name}' needs an array`);
      return `${target} = ANY(${params.add(operand, `${cast}[]`)})`;
    }
    const sql = OPERATORS[operator];
    if (!sql) throw badRequest(`unknown where operator '${operator.slice(0, 16)}'`);
    if (operand === null) return operator === '$ne' ? `${target} IS NOT NULL` : `${target} IS NULL`;
    return `${target} ${sql} ${params.add(operand, cast)}`;
  });
  if (parts.length === 0) throw badRequest(`empty condition on '${name}'`);
  return parts.join(' AND ');
}

/** The columns a where names, for column-permission checks. */
export function whereColumns(where: Record<string, unknown>): string[] {
  return Object.keys(where);
}

export function compileWhere(table: Table, where: unknown, params: Params): string[] {
  if (where === undefined || where === null) return [];
  if (typeof where !== 'object' || Array.isArray(where)) throw badRequest('where must be an object');
  return Object.entries(where as Record<string, unknown>).map(([name, value]) => condition(table, name, value, params));
}
