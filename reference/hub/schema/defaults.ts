/**
 * Column defaults: which literals fit which declared type, and how a checked
 * literal is written into DDL. DEFAULT clauses cannot take bound parameters,
 * so only values that passed `defaultProblem` ever reach `defaultSql`, and
 * text is always written as a quoted literal with its quotes doubled.
 */
import type { ColumnDef } from './model.ts';

const DECIMAL = /^-?\d+(\.\d+)?$/;
const INTEGER_TEXT = /^-?\d{1,19}$/;

/** Why `value` cannot be the default of a column of `type`, or undefined when it can. */
export function defaultProblem(type: string, value: unknown): string | undefined {
  const fits: Record<string, () => boolean> = {
    string: () => typeof value === 'string',
    file: () => typeof value === 'string',
    int: () => Number.isSafeInteger(value),
    bigint: () => Number.isSafeInteger(value) || (typeof value === 'string' && INTEGER_TEXT.test(value)),
    float: () => typeof value === 'number' && Number.isFinite(value),
    decimal: () => (typeof value === 'number' && Number.isFinite(value)) || (typeof value === 'string' && DECIMAL.test(value)),
    boolean: () => typeof value === 'boolean',
    json: () => value !== undefined,
    timestamp: () => value === 'now' || (typeof value === 'string' && Number.isFinite(Date.parse(value))),
  };
  const check = fits[type];
  if (!check) return `a default is not supported for ${type} columns`;
  if (typeof value === 'string' && value.includes('\u0000')) return 'a default may not contain NUL characters';
  return check() ? undefined : `is not a ${type} literal`;
}

function quoted(text: string): string {
  return `'${text.replaceAll("'", "''")}'`;
}

/** The DDL form of a default that `defaultProblem` accepted. */
export function defaultSql(column: ColumnDef): string {
  const value = column.default;
  switch (column.type) {
    case 'timestamp':
      return value === 'now' ? 'now()' : `${quoted(String(value))}::timestamptz`;
    case 'json':
      return `${quoted(JSON.stringify(value))}::jsonb`;
    case 'boolean':
      return value === true ? 'TRUE' : 'FALSE';
    case 'int':
    case 'float':
      return String(value);
    case 'bigint':
    case 'decimal':
      return `${quoted(String(value))}::${column.type === 'bigint' ? 'bigint' : 'numeric'}`;
    default:
      return quoted(String(value));
  }
}
