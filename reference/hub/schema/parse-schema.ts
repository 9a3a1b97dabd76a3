/**
 * Validation of a project bundle's schema files: every problem is a 400
 * SCHEMA_VALIDATION_FAILED naming the file and the dotted path inside it.
 */
import { parse as parseYaml } from 'yaml';
import { HttpError } from '../../shared/http-error.ts';
import { defaultProblem } from './defaults.ts';
import {
  ARRAY_ITEMS,
  ID_POLICIES,
  idColumnType,
  SCALAR_TYPES,
  sqlType,
  type ColumnDef,
  type IdPolicy,
  type ParsedSchema,
  type TableDef,
} from './model.ts';

export const IDENTIFIER = /^[a-z_][a-z0-9_]{0,62}$/;
const CONNECTION = /^[a-z][a-z0-9_]{0,62}$/;
const ON_DELETE = ['restrict', 'cascade', 'set_null'];

export function invalid(file: string, path: string, problem: string): HttpError {
  return new HttpError('SCHEMA_VALIDATION_FAILED', `${file}: ${path}: ${problem}`, { file, path });
}

export interface SourceFile {
  readonly file: string;
  readonly content: string;
}

function record(value: unknown, file: string, path: string): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    throw invalid(file, path, 'must be a mapping');
  return value as Record<string, unknown>;
}

/** Shown in messages: at most 64 characters of a name the request supplied. */
export function shown(name: string): string {
  return name.length > 64 ? `${name.slice(0, 64)}…` : name;
}

export function parseYamlFile(file: string, content: string): unknown {
  try {
    return parseYaml(content);
  } catch (error) {
    throw invalid(file, '(document)', `not valid YAML: ${(error as Error).message.split('\n')[0] ?? ''}`);
  }
}

function parseReferences(raw: unknown, file: string, path: string): ColumnDef['references'] {
  const references = record(raw, file, path);
  if (typeof references.table !== 'string' || !IDENTIFIER.test(references.table))
    throw invalid(file, `${path}.table`, 'must name a declared table');
  for (const key of ['column', 'as'] as const) {
    const value = references[key];
    if (value !== undefined && (typeof value !== 'string' || !IDENTIFIER.test(value)))
      throw invalid(file, `${path}.${key}`, 'is not a valid name');
  }
  if (references.onDelete !== undefined && !ON_DELETE.includes(String(references.onDelete)))
    throw invalid(file, `${path}.onDelete`, 'must be restrict, cascade or set_null');
  return {
    table: references.table,
    ...(typeof references.column === 'string' ? { column: references.column } : {}),
    ...(typeof references.as === 'string' ? { as: references.as } : {}),
    ...(typeof references.onDelete === 'string' ? { onDelete: references.onDelete } : {}),
  };
}

const BUCKET = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;

/** A `type: file` column names its bucket and what a row delete does to the object. */
function parseFileColumn(
  column: Record<string, unknown>,
  file: string,
  path: string,
): Pick<ColumnDef, 'bucket' | 'onDelete'> {
  if (typeof column.bucket !== 'string' || !BUCKET.test(column.bucket))
    throw invalid(file, `${path}.bucket`, 'a file column needs a bucket name (3-63 of a-z, 0-9, . and -)');
  const onDelete = column.onDelete ?? 'preserve';
  if (onDelete !== 'preserve' && onDelete !== 'cascade')
    throw invalid(file, `${path}.onDelete`, 'must be preserve or cascade');
  return { bucket: column.bucket, onDelete };
}

function parseColumn(raw: unknown, file: string, path: string): ColumnDef {
  const column = record(raw, file, path);
  const type = column.type;
  if (typeof type !== 'string' || (type !== 'array' && !(type in SCALAR_TYPES)))
    throw invalid(file, `${path}.type`, `unknown type '${shown(String(type))}'`);
  if (type === 'array' && !(typeof column.items === 'string' && column.items in ARRAY_ITEMS))
    throw invalid(file, `${path}.items`, 'array needs scalar items: string, int, float or boolean');
  for (const flag of ['nullable', 'unique'] as const) {
    if (column[flag] !== undefined && typeof column[flag] !== 'boolean')
      throw invalid(file, `${path}.${flag}`, 'must be true or false');
  }
  if (column.default !== undefined) {
    const problem = defaultProblem(type, column.default, typeof column.items === 'string' ? column.items : undefined);
    if (problem) throw invalid(file, `${path}.default`, problem);
  }
  return {
    type,
    ...(type === 'array' ? { items: column.items as string } : {}),
    nullable: column.nullable === true,
    unique: column.unique === true,
    ...(column.default !== undefined ? { default: column.default } : {}),
    ...(column.references !== undefined
      ? { references: parseReferences(column.references, file, `${path}.references`) }
      : {}),
    ...(type === 'file' ? parseFileColumn(column, file, path) : {}),
  };
}

function parseTable(raw: unknown, file: string, path: string): TableDef {
  const table = record(raw, file, path);
  const id = table.id === undefined ? {} : record(table.id, file, `${path}.id`);
  const generate = id.generate ?? 'ulid';
  if (typeof generate !== 'string' || !(ID_POLICIES as readonly string[]).includes(generate))
    throw invalid(file, `${path}.id.generate`, `unknown id policy '${shown(String(generate))}'`);
  const idName = id.name ?? 'id';
  if (typeof idName !== 'string' || !IDENTIFIER.test(idName))
    throw invalid(file, `${path}.id.name`, 'is not a valid column name');
  const columns: Record<string, ColumnDef> = {};
  for (const [name, column] of Object.entries(record(table.columns ?? {}, file, `${path}.columns`))) {
    if (!IDENTIFIER.test(name)) throw invalid(file, `${path}.columns.${shown(name)}`, 'is not a valid column name');
    if (name === idName) throw invalid(file, `${path}.columns.${name}`, 'repeats the id column');
    columns[name] = parseColumn(column, file, `${path}.columns.${name}`);
  }
  const connection = table.connection ?? 'main';
  if (typeof connection !== 'string' || !CONNECTION.test(connection))
    throw invalid(file, `${path}.connection`, 'is not a valid connection name');
  return { connection, id: { name: idName, generate: generate as IdPolicy }, columns };
}

/** Every `references` must point at a declared column of a table on the same connection, with the same type; `as` names are unique per table. */
function checkReferences(tables: Readonly<Record<string, TableDef>>, sources: Readonly<Record<string, string>>): void {
  for (const [tableName, table] of Object.entries(tables)) {
    const file = sources[tableName] ?? 'schema';
    const relations = new Set<string>();
    for (const [columnName, column] of Object.entries(table.columns)) {
      const reference = column.references;
      if (!reference) continue;
      const path = `tables.${tableName}.columns.${columnName}.references`;
      const target = tables[reference.table];
      if (!target) throw invalid(file, `${path}.table`, `table '${reference.table}' is not declared`);
      if (target.connection !== table.connection)
        throw invalid(file, `${path}.table`, `table '${reference.table}' is on another connection`);
      const targetColumn = reference.column ?? target.id.name;
      const targetType =
        targetColumn === target.id.name
          ? idColumnType(target)
          : target.columns[targetColumn]
            ? sqlType(target.columns[targetColumn])
            : undefined;
      if (targetType === undefined)
        throw invalid(file, `${path}.column`, `column '${targetColumn}' is not declared on '${reference.table}'`);
      if (targetType !== sqlType(column))
        throw invalid(
          file,
          `tables.${tableName}.columns.${columnName}.type`,
          `does not match the type of ${reference.table}.${targetColumn}`,
        );
      const relation = reference.as ?? reference.table;
      if (relations.has(relation))
        throw invalid(file, `${path}.as`, `relation name '${relation}' is used twice in '${tableName}'`);
      relations.add(relation);
    }
  }
}

/** Merges every file's `tables`; a table declared twice, or a reference to nowhere, is refused. */
export function parseSchemaFiles(files: readonly SourceFile[]): ParsedSchema {
  const tables: Record<string, TableDef> = {};
  const sources: Record<string, string> = {};
  for (const { file, content } of files) {
    const document = parseYamlFile(file, content) ?? {};
    const declared = record(record(document, file, '(document)').tables ?? {}, file, 'tables');
    for (const [name, table] of Object.entries(declared)) {
      if (!IDENTIFIER.test(name)) throw invalid(file, `tables.${shown(name)}`, 'is not a valid table name');
      if (tables[name]) throw invalid(file, `tables.${name}`, `table is already declared in ${sources[name]}`);
      tables[name] = parseTable(table, file, `tables.${name}`);
      sources[name] = file;
    }
  }
  checkReferences(tables, sources);
  return { model: { tables }, sources };
}
