/**
 * `stk gen client`: from a release's schema IR to the model the TypeScript
 * renderer prints (SDK-001, SDK-002). Pure: no I/O. Every problem is a
 * `GenError` naming the table and column, and stops generation.
 */

export class GenError extends Error {}

/** The documented mapping of schema types to TypeScript types (SDK-002); nothing else is accepted. */
const SCALAR_TS: Readonly<Record<string, string>> = {
  string: 'string',
  int: 'number',
  bigint: 'string',
  float: 'number',
  decimal: 'string',
  boolean: 'boolean',
  json: 'unknown',
  timestamp: 'string',
  bytes: 'string',
  file: 'string',
};

/** Id policies whose ids the Bridge makes: a caller-supplied id is refused, so inserts never carry it. */
const GENERATED_IDS = new Set(['ulid', 'nanoid', 'uuid_v4', 'uuid_v7', 'auto_increment']);

export interface FieldModel {
  readonly name: string;
  /** The TypeScript type, `| null` included for nullable columns. */
  readonly ts: string;
  /** Whether an insert may leave it out. */
  readonly optional: boolean;
}

export interface TableModel {
  readonly name: string;
  /** PascalCase of the name: `user_profiles` → `UserProfiles`. */
  readonly pascal: string;
  /** camelCase of the name: the `client.db` accessor. */
  readonly camel: string;
  /** Primary key first, then the columns in ascending byte order of their names. */
  readonly row: readonly FieldModel[];
  /** What an insert sends: the row without a generated id. */
  readonly insert: readonly FieldModel[];
}

export interface ClientModel {
  readonly releaseId: string;
  readonly tables: readonly TableModel[];
}

type Json = Record<string, unknown>;

const isRecord = (value: unknown): value is Json =>
  typeof value === 'object' && value !== null && !Array.isArray(value);
const byName = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

export function pascalCase(name: string): string {
  return name
    .split(/[_\- ]+/)
    .filter((part) => part !== '')
    .map((part) => part.charAt(0).toUpperCase() + part.slice(1).toLowerCase())
    .join('');
}

export function camelCase(name: string): string {
  const pascal = pascalCase(name);
  return pascal.charAt(0).toLowerCase() + pascal.slice(1);
}

/** An element type inside `[]`: unions need parentheses. */
function arrayOf(ts: string): string {
  return ts.includes(' ') ? `(${ts})[]` : `${ts}[]`;
}

/** A type token: a documented scalar, or `array<T>` with T mapped the same way. */
export function tsOfToken(token: string, where: string): string {
  const trimmed = token.trim();
  const inner = /^array<(.+)>$/.exec(trimmed)?.[1];
  if (inner !== undefined) return arrayOf(tsOfToken(inner, where));
  const ts = Object.hasOwn(SCALAR_TS, trimmed) ? SCALAR_TS[trimmed] : undefined;
  if (ts === undefined) throw new GenError(`unknown schema type '${trimmed.slice(0, 64)}' for ${where}`);
  return ts;
}

/** `type: array` takes its element from `items`: a token, or a nested `{ type, items }`. */
function tsOfColumnType(column: Json, where: string): string {
  const { type } = column;
  if (typeof type !== 'string') throw new GenError(`${where} has no type`);
  if (type.trim() !== 'array') return tsOfToken(type, where);
  const { items } = column;
  if (typeof items === 'string') return arrayOf(tsOfToken(items, where));
  if (isRecord(items)) return arrayOf(tsOfColumnType(items, where));
  throw new GenError(`array ${where} is missing items`);
}

function columnField(table: string, name: string, raw: unknown): FieldModel {
  const where = `column '${name}' of table '${table}'`;
  if (!isRecord(raw)) throw new GenError(`${where} is not a mapping`);
  const nullable = raw.nullable === true;
  const ts = tsOfColumnType(raw, where);
  return { name, ts: nullable ? `${ts} | null` : ts, optional: nullable || raw.default !== undefined };
}

function idOf(table: string, raw: Json): { field: FieldModel; generated: boolean } {
  const id = isRecord(raw.id) ? raw.id : {};
  const name = typeof id.name === 'string' ? id.name : 'id';
  const generate = typeof id.generate === 'string' ? id.generate : 'ulid';
  const token = typeof id.type === 'string' ? id.type : generate === 'auto_increment' ? 'bigint' : 'string';
  const ts = tsOfToken(token, `id column '${name}' of table '${table}'`);
  return { field: { name, ts, optional: false }, generated: GENERATED_IDS.has(generate) };
}

function tableModel(name: string, raw: unknown): TableModel {
  if (!isRecord(raw)) throw new GenError(`table '${name}' is not a mapping`);
  const pascal = pascalCase(name);
  if (!/^[A-Za-z_$][\w$]*$/.test(pascal))
    throw new GenError(`table name '${name.slice(0, 64)}' gives no TypeScript type name`);
  const { field: id, generated } = idOf(name, raw);
  const declared = isRecord(raw.columns) ? raw.columns : {};
  const columns = Object.keys(declared)
    .sort(byName)
    .map((column) => columnField(name, column, declared[column]));
  return {
    name,
    pascal,
    camel: camelCase(name),
    row: [id, ...columns],
    insert: generated ? columns : [id, ...columns],
  };
}

/** Two tables whose generated names or accessors would be the same cannot share one file. */
function checkDistinct(tables: readonly TableModel[]): void {
  const seen = new Map<string, string>();
  for (const table of tables) {
    const names = new Set([`type ${table.pascal}`, `key ${table.camel}`, `key ${table.name}`]);
    for (const name of names) {
      const other = seen.get(name);
      if (other !== undefined)
        throw new GenError(`tables '${other}' and '${table.name}' both generate ${name.replace(/^\w+ /, '')}`);
      seen.set(name, table.name);
    }
  }
}

/** The model of the client for a release document (`release_id` and `schema.tables`). */
export function clientModel(release: unknown): ClientModel {
  const tables = isRecord(release) && isRecord(release.schema) ? release.schema.tables : undefined;
  if (!isRecord(tables)) throw new GenError('release schema.tables is missing');
  const releaseId = isRecord(release) && typeof release.release_id === 'string' ? release.release_id : 'unknown';
  const models = Object.keys(tables)
    .sort(byName)
    .map((name) => tableModel(name, tables[name]));
  checkDistinct(models);
  return { releaseId, tables: models };
}
