/**
 * Validation of a project bundle's schema files: every problem is a 400
 * SCHEMA_VALIDATION_FAILED naming the file and the dotted path inside it.
 */
import { parse as parseYaml } from 'yaml';
import { HttpError } from '../../shared/http-error.ts';
import { ARRAY_ITEMS, ID_POLICIES, SCALAR_TYPES, type ColumnDef, type IdPolicy, type SchemaModel, type TableDef } from './model.ts';

export const IDENTIFIER = /^[a-z_][a-z0-9_]{0,62}$/;

export function invalid(file: string, path: string, problem: string): HttpError {
  return new HttpError('SCHEMA_VALIDATION_FAILED', `${file}: ${path}: ${problem}`, { file, path });
}

export interface SourceFile {
  readonly file: string;
  readonly content: string;
}

function record(value: unknown, file: string, path: string): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw invalid(file, path, 'must be a mapping');
  return value as Record<string, unknown>;
}

export function parseYamlFile(file: string, content: string): unknown {
  try {
    return parseYaml(content);
  } catch (error) {
    throw invalid(file, '(document)', `not valid YAML: ${(error as Error).message.split('\n')[0] ?? ''}`);
  }
}

function parseColumn(raw: unknown, file: string, path: string): ColumnDef {
  const column = record(raw, file, path);
  const type = column.type;
  if (typeof type !== 'string' || (type !== 'array' && !(type in SCALAR_TYPES))) throw invalid(file, `${path}.type`, `unknown type '${String(type)}'`);
  if (type === 'array' && !(typeof column.items === 'string' && column.items in ARRAY_ITEMS)) throw invalid(file, `${path}.items`, 'array needs scalar items: string, int, float or boolean');
  const references = column.references === undefined ? undefined : record(column.references, file, `${path}.references`);
  if (references && typeof references.table !== 'string') throw invalid(file, `${path}.references.table`, 'must name a table');
  if (references?.onDelete !== undefined && !['restrict', 'cascade', 'set_null'].includes(String(references.onDelete))) {
    throw invalid(file, `${path}.references.onDelete`, 'must be restrict, cascade or set_null');
  }
  return {
    type,
    ...(typeof column.items === 'string' ? { items: column.items } : {}),
    nullable: column.nullable === true,
    unique: column.unique === true,
    ...(column.default !== undefined ? { default: column.default } : {}),
    ...(references ? { references: references as ColumnDef['references'] & object } : {}),
  };
}

function parseTable(raw: unknown, file: string, path: string): TableDef {
  const table = record(raw, file, path);
  const id = table.id === undefined ? {} : record(table.id, file, `${path}.id`);
  const generate = (id.generate ?? 'ulid') as string;
  if (!(ID_POLICIES as readonly string[]).includes(generate)) throw invalid(file, `${path}.id.generate`, `unknown id policy '${generate}'`);
  const idName = (id.name ?? 'id') as string;
  if (typeof idName !== 'string' || !IDENTIFIER.test(idName)) throw invalid(file, `${path}.id.name`, 'is not a valid column name');
  const columns: Record<string, ColumnDef> = {};
  for (const [name, column] of Object.entries(record(table.columns ?? {}, file, `${path}.columns`))) {
    if (!IDENTIFIER.test(name)) throw invalid(file, `${path}.columns.${name}`, 'is not a valid column name');
    if (name === idName) throw invalid(file, `${path}.columns.${name}`, 'repeats the id column');
    columns[name] = parseColumn(column, file, `${path}.columns.${name}`);
  }
  const connection = table.connection ?? 'main';
  if (typeof connection !== 'string' || !IDENTIFIER.test(connection)) throw invalid(file, `${path}.connection`, 'is not a valid connection name');
  return { connection, id: { name: idName, generate: generate as IdPolicy }, columns };
}

/** Merges every file's `tables`; a table declared twice, or a reference to nowhere, is refused. */
export function parseSchemaFiles(files: readonly SourceFile[]): SchemaModel {
  const tables: Record<string, TableDef> = {};
  for (const { file, content } of files) {
    const document = parseYamlFile(file, content) ?? {};
    const declared = record(record(document, file, '(document)').tables ?? {}, file, 'tables');
    for (const [name, table] of Object.entries(declared)) {
      if (!IDENTIFIER.test(name)) throw invalid(file, `tables.${name.slice(0, 64)}`, 'is not a valid table name');
      if (tables[name]) throw invalid(file, `tables.${name}`, 'table is declared in another file too');
      tables[name] = parseTable(table, file, `tables.${name}`);
    }
  }
  for (const [tableName, table] of Object.entries(tables)) {
    for (const [columnName, column] of Object.entries(table.columns)) {
      const target = column.references?.table;
      if (target !== undefined && !tables[target]) throw invalid('schema', `tables.${tableName}.columns.${columnName}.references.table`, `table '${target}' is not declared`);
    }
  }
  return { tables };
}
