/**
 * `where` objects → parameterised SQL (call-api.md): column → scalar
 * (equality), `null` (IS NULL), or `{ "$op": operand }` with exactly one of
 * `$eq $ne $gt $gte $lt $lte $in`. Columns only from the declared schema.
 */
import { badRequest, invalidColumn, unknownColumn } from './errors.ts';
import { quote, type Column, type Table } from './model.ts';
import { requireReadable } from './rules.ts';
import type { Params } from './sql.ts';
import { bindForm, castOf, expected, fitsScalar } from './values.ts';

const COMPARISONS: Readonly<Record<string, string>> = {
  $eq: '=',
  $ne: 'IS DISTINCT FROM',
  $gt: '>',
  $gte: '>=',
  $lt: '<',
  $lte: '<=',
};

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isScalar(value: unknown): boolean {
  return typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean';
}

/** A scalar operand, type-checked against the column (array columns take no scalars). */
function operand(name: string, column: Column, value: unknown, params: Params): string {
  if (column.type === 'array' || !fitsScalar(column, value))
    throw invalidColumn(name, `invalid value for column '${name}': expected ${expected(column)}`);
  return params.add(bindForm(column, value), castOf(column));
}

function inList(name: string, column: Column, value: unknown, params: Params): string {
  if (!Array.isArray(value) || !value.every(isScalar)) throw badRequest(`$in on '${name}' needs an array of scalars`);
  if (column.type === 'array' || !value.every((item) => fitsScalar(column, item))) {
    throw invalidColumn(name, `invalid value for column '${name}': $in expects ${column.type} items`);
  }
  return `${quote(name)} = ANY(${params.add(
    value.map((item) => bindForm(column, item)),
    `${castOf(column)}[]`,
  )})`;
}

function operatorCondition(name: string, column: Column, condition: Record<string, unknown>, params: Params): string {
  const entries = Object.entries(condition);
  if (entries.length !== 1) throw badRequest(`the condition on '${name}' must hold exactly one operator`);
  const [operator, value] = entries[0] as [string, unknown];
  if (operator === '$in') return inList(name, column, value, params);
  const sql = Object.hasOwn(COMPARISONS, operator) ? COMPARISONS[operator] : undefined;
  if (!sql) throw badRequest(`unknown where operator '${operator.slice(0, 32)}': use $eq $ne $gt $gte $lt $lte $in`);
  if (value === null) {
    if (operator === '$eq') return `${quote(name)} IS NULL`;
    if (operator === '$ne') return `${quote(name)} IS NOT NULL`;
    throw badRequest(`${operator} on '${name}' needs a value, not null`);
  }
  if (!isScalar(value)) throw badRequest(`${operator} on '${name}' needs a scalar`);
  return `${quote(name)} ${sql} ${operand(name, column, value, params)}`;
}

function columnCondition(name: string, column: Column, condition: unknown, params: Params): string {
  if (condition === null) return `${quote(name)} IS NULL`;
  if (isScalar(condition)) return `${quote(name)} = ${operand(name, column, condition, params)}`;
  if (isPlainObject(condition)) return operatorCondition(name, column, condition, params);
  throw badRequest(`the condition on '${name}' must be a scalar, null or an operator object`);
}

/**
 * SQL conditions (to be ANDed) for `where`; undefined/null means none.
 * Columns must be declared (400 SCHEMA_VALIDATION_FAILED) and readable (403).
 */
export function compileWhere(
  table: Table,
  where: unknown,
  params: Params,
  readable: readonly string[] | undefined,
): string[] {
  if (where === undefined || where === null) return [];
  if (!isPlainObject(where)) throw badRequest('where must be an object');
  return Object.entries(where).map(([name, condition]) => {
    const column = table.columns.get(name);
    if (!column) throw unknownColumn(name);
    if (readable) requireReadable([name], readable);
    return columnCondition(name, column, condition, params);
  });
}
