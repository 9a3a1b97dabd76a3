/**
 * Column values on the wire: whether a JSON value fits a declared type, the
 * SQL cast of its placeholder, the form it is bound in, and the JSON form a
 * stored value is read back in (project-files.md, "Column types").
 */
import { invalidColumn } from './errors.ts';
import type { Column, Table } from './model.ts';

const SCALAR_CASTS: Readonly<Record<string, string>> = {
  string: 'text',
  int: 'bigint',
  bigint: 'bigint',
  float: 'double precision',
  decimal: 'numeric',
  boolean: 'boolean',
  json: 'jsonb',
  timestamp: 'timestamptz',
  bytes: 'bytea',
  file: 'text',
  uuid: 'uuid',
  serial: 'bigint',
};

const RFC3339 = /^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

const isInteger = (value: unknown): value is number => typeof value === 'number' && Number.isSafeInteger(value);

const FITS: Readonly<Record<string, (value: unknown) => boolean>> = {
  string: (value) => typeof value === 'string',
  file: (value) => typeof value === 'string',
  int: isInteger,
  bigint: (value) => isInteger(value) || (typeof value === 'string' && /^-?\d{1,19}$/.test(value)),
  serial: (value) => isInteger(value) || (typeof value === 'string' && /^-?\d{1,19}$/.test(value)),
  float: (value) => typeof value === 'number' && Number.isFinite(value),
  decimal: (value) =>
    (typeof value === 'number' && Number.isFinite(value)) ||
    (typeof value === 'string' && /^-?\d+(\.\d+)?$/.test(value)),
  boolean: (value) => typeof value === 'boolean',
  json: () => true,
  timestamp: (value) => typeof value === 'string' && RFC3339.test(value) && Number.isFinite(Date.parse(value)),
  bytes: (value) => typeof value === 'string' && BASE64.test(value),
  uuid: (value) => typeof value === 'string' && UUID.test(value),
};

/** The SQL type a placeholder for this column is cast to. */
export function castOf(column: Column): string {
  if (column.type === 'array') return `${SCALAR_CASTS[column.items ?? 'string'] ?? 'text'}[]`;
  return SCALAR_CASTS[column.type] ?? 'text';
}

/** How a message names what the column expects. */
export function expected(column: Column): string {
  return column.type === 'array'
    ? `array of ${column.items ?? 'string'}`
    : column.type === 'serial'
      ? 'integer'
      : column.type;
}

/** Whether a non-null scalar fits the column's (element) type. */
export function fitsScalar(column: Column, value: unknown): boolean {
  const type = column.type === 'array' ? (column.items ?? 'string') : column.type;
  return (FITS[type] ?? FITS.string)?.(value) ?? false;
}

function fitsArray(column: Column, value: unknown): boolean {
  return (
    Array.isArray(value) && value.every((item) => item !== null && !Array.isArray(item) && fitsScalar(column, item))
  );
}

/** The value to bind for `column`, or 400 SCHEMA_VALIDATION_FAILED naming it. */
export function checkValue(name: string, column: Column, value: unknown): unknown {
  if (value === null) {
    if (!column.nullable)
      throw invalidColumn(name, `invalid value for column '${name}': expected ${expected(column)}, not null`);
    return null;
  }
  const fits = column.type === 'array' ? fitsArray(column, value) : fitsScalar(column, value);
  if (!fits) throw invalidColumn(name, `invalid value for column '${name}': expected ${expected(column)}`);
  return bindForm(column, value);
}

/** The JS value pg should send for an already-checked value. */
export function bindForm(column: Column, value: unknown): unknown {
  if (column.type === 'json') return JSON.stringify(value);
  if (column.type === 'bytes') return Buffer.from(value as string, 'base64');
  if (column.type === 'decimal' && typeof value === 'number') return String(value);
  return value;
}

function readValue(column: Column, value: unknown): unknown {
  if (value === null || value === undefined) return value;
  if (column.type === 'int' && typeof value === 'string') return Number(value);
  if (column.type === 'array' && column.items === 'int' && Array.isArray(value))
    return value.map((item) => (typeof item === 'string' ? Number(item) : item));
  if (column.type === 'bytes' && Buffer.isBuffer(value)) return value.toString('base64');
  if (value instanceof Date) return value.toISOString();
  if (column.type === 'serial' && typeof value === 'number') return String(value);
  return value;
}

/** A stored row in its wire form. */
export function readRow(table: Table, row: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(row)) {
    const column = table.columns.get(name);
    out[name] = column ? readValue(column, value) : value;
  }
  return out;
}
