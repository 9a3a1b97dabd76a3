/** The declared schema as the Hub understands it, and how each type maps to PostgreSQL. */

export const ID_POLICIES = ['ulid', 'nanoid', 'uuid_v4', 'uuid_v7', 'auto_increment', 'client'] as const;
export type IdPolicy = (typeof ID_POLICIES)[number];

export const SCALAR_TYPES: Readonly<Record<string, string>> = {
  string: 'text',
  int: 'bigint',
  bigint: 'bigint',
  float: 'double precision',
  decimal: 'numeric',
  boolean: 'boolean',
  json: 'jsonb',
  timestamp: 'timestamp without time zone',
  bytes: 'bytea',
  file: 'text',
};

export const ARRAY_ITEMS: Readonly<Record<string, string>> = {
  string: 'text[]',
  int: 'bigint[]',
  float: 'double precision[]',
  boolean: 'boolean[]',
};

export interface ColumnDef {
  readonly type: string;
  readonly items?: string;
  readonly nullable: boolean;
  readonly unique: boolean;
  readonly default?: unknown;
  readonly references?: {
    readonly table: string;
    readonly column?: string;
    readonly as?: string;
    readonly onDelete?: string;
  };
  /** `type: file` only: the storage bucket alias the stored key lives in. */
  readonly bucket?: string;
  /** `type: file` only: `cascade` deletes the object with the row (STORAGE-005); `preserve` (default) keeps it. */
  readonly onDelete?: 'preserve' | 'cascade';
}

export interface TableDef {
  readonly connection: string;
  readonly id: { readonly name: string; readonly generate: IdPolicy };
  readonly columns: Readonly<Record<string, ColumnDef>>;
}

export interface SchemaModel {
  readonly tables: Readonly<Record<string, TableDef>>;
}

/** A validated schema and, per table, the file that declared it (for error details). */
export interface ParsedSchema {
  readonly model: SchemaModel;
  readonly sources: Readonly<Record<string, string>>;
}

/** PostgreSQL type of a column as `format_type` prints it, for DDL and type comparison. */
export function sqlType(column: ColumnDef): string {
  if (column.type === 'array') return ARRAY_ITEMS[column.items ?? ''] ?? 'text[]';
  return SCALAR_TYPES[column.type] ?? 'text';
}

export function idSqlType(policy: IdPolicy): string {
  if (policy === 'uuid_v4' || policy === 'uuid_v7') return 'uuid';
  if (policy === 'auto_increment') return 'bigint';
  return 'text';
}

/** PostgreSQL type of a table's id column. */
export function idColumnType(table: TableDef): string {
  return idSqlType(table.id.generate);
}

export function quoteIdent(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}
