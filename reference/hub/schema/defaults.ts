/**
 * Column defaults: which literals fit which declared type, and how a checked
 * literal is written into DDL. DEFAULT clauses cannot take bound parameters,
 * so only values that passed `defaultProblem` ever reach `defaultSql`, and
 * text is always written as a quoted literal with its quotes doubled.
 */
import type { ColumnDef } from './model.ts';

const DECIMAL = /^-?\d+(\.\d+)?$/;
const INTEGER_TEXT = /^-?\d{1,19}$/;

const ARRAY_ITEM_CASTS: Readonly<Record<string, string>> = {
  string: 'text',
  int: 'bigint',
  float: 'double precision',
  boolean: 'boolean',
};

/** An array default is a YAML list whose every item is a literal of the item type (no nulls, no nesting). */
function arrayDefaultProblem(items: string | undefined, value: unknown): string | undefined {
  if (!Array.isArray(value)) return `is not a list of ${items ?? 'string'}`;
  const itemType = items ?? 'string';
  const bad = value.findIndex(
    (item) => item === null || Array.isArray(item) || defaultProblem(itemType, item) !== undefined,
  );
  return bad === -1 ? undefined : `item ${bad} is not a ${itemType} literal`;
}

/** Why `value` cannot be the default of a column of `type` (array `items`), or undefined when it can. */
export function defaultProblem(type: string, value: unknown, items?: string): string | undefined {
  if (type === 'array') return arrayDefaultProblem(items, value);
  const fits: Record<string, () => boolean> = {
    string: () => typeof value === 'string',
    file: () => typeof value === 'string',
    int: () => Number.isSafeInteger(value),
    bigint: () => Number.isSafeInteger(value) || (typeof value === 'string' && INTEGER_TEXT.test(value)),
    float: () => typeof value === 'number' && Number.isFinite(value),
    decimal: () =>
      (typeof value === 'number' && Number.isFinite(value)) || (typeof value === 'string' && DECIMAL.test(value)),
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
  if (column.type === 'array' && Array.isArray(value)) {
    const itemType = column.items ?? 'string';
    const cast = `${ARRAY_ITEM_CASTS[itemType] ?? 'text'}[]`;
    if (value.length === 0) return `'{}'::${cast}`;
    return `ARRAY[${value.map((item) => defaultSql({ type: itemType, nullable: false, unique: false, default: item })).join(', ')}]::${cast}`;
  }
  switch (column.type) {
    case 'timestamp':
      // `timestamp` columns hold UTC wall-clock time without a zone (as Santokit maps them).
      return value === 'now'
        ? "(now() AT TIME ZONE 'UTC')"
        : `(${quoted(String(value))}::timestamptz AT TIME ZONE 'UTC')`;
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
