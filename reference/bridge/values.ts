/** Checks a JSON value against a declared column type and casts its placeholder; a mismatch names the field. */
import { HttpError } from '../shared/http-error.ts';
import type { Column } from './model.ts';

const CASTS: Record<string, string> = {
  string: 'text', int: 'bigint', bigint: 'bigint', float: 'double precision', decimal: 'numeric', boolean: 'boolean',
  json: 'jsonb', timestamp: 'timestamptz', bytes: 'bytea', file: 'text',
};
const ITEM_CASTS: Record<string, string> = { string: 'text[]', int: 'bigint[]', float: 'double precision[]', boolean: 'boolean[]' };

function invalid(column: string, problem: string): HttpError {
  return new HttpError('SCHEMA_VALIDATION_FAILED', `column '${column}': ${problem}`, { column });
}

function fits(type: string, value: unknown): boolean {
  switch (type) {
    case 'string':
    case 'file':
      return typeof value === 'string';
    case 'int':
      return typeof value === 'number' && Number.isInteger(value);
    case 'bigint':
      return (typeof value === 'number' && Number.isInteger(value)) || (typeof value === 'string' && /^-?\d+$/.test(value));
    case 'float':
      return typeof value === 'number';
    case 'decimal':
      return typeof value === 'number' || (typeof value === 'string' && /^-?\d+(\.\d+)?$/.test(value));
    case 'boolean':
      return typeof value === 'boolean';
    case 'json':
      return true;
    case 'timestamp':
      return typeof value === 'string' && !Number.isNaN(Date.parse(value));
    case 'bytes':
      return typeof value === 'string';
    default:
      return false;
  }
}

/** The SQL cast of a column's placeholders. */
export function castOf(column: Column | undefined): string {
  if (!column) return 'text';
  return column.type === 'array' ? (ITEM_CASTS[column.items ?? ''] ?? 'text[]') : (CASTS[column.type] ?? 'text');
}

/** The value to bind for `column`, or a 400 naming the field. */
export function checkValue(name: string, column: Column, value: unknown): unknown {
  if (value === null) {
    if (!column.nullable) throw invalid(name, 'may not be null');
    return null;
  }
  if (column.type === 'array') {
    if (!Array.isArray(value)) throw invalid(name, `expected an array of ${column.items ?? 'items'}`);
    value.forEach((item, index) => {
      if (!fits(column.items ?? '', item)) throw invalid(name, `item ${index} is not a ${column.items ?? 'valid item'}`);
    });
    return value;
  }
  if (!fits(column.type, value)) throw invalid(name, `expected ${column.type}`);
  if (column.type === 'json') return JSON.stringify(value);
  if (column.type === 'bytes') return Buffer.from(value as string, 'base64');
  return value;
}
