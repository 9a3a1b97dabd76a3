/** `schema_list_tables`, `schema_get_table`, `permissions_get_table`: the declared schema and rules of a release, as documented in MCP-002/003. */
import type { ReleaseSnapshot } from './release-source.ts';
import { notFound } from './tool-error.ts';

type Row = Record<string, unknown>;

const OPERATIONS = ['select', 'insert', 'update', 'delete'] as const;

function tablesOf(release: ReleaseSnapshot): Record<string, Row> {
  return release.schema.tables as Record<string, Row>;
}

function tableOf(release: ReleaseSnapshot, name: string): Row {
  const table = Object.hasOwn(tablesOf(release), name) ? tablesOf(release)[name] : undefined;
  if (table === undefined) throw notFound(`table '${name.slice(0, 64)}' not found`);
  return table;
}

const connectionOf = (table: Row) => (typeof table.connection === 'string' ? table.connection : 'main');
const idOf = (table: Row) => (table.id ?? {}) as Row;
const idName = (table: Row) => (typeof idOf(table).name === 'string' ? (idOf(table).name as string) : 'id');

/** The id column's declared type: `type` when given, else what its generator produces. */
function idType(table: Row): string {
  const id = idOf(table);
  if (typeof id.type === 'string') return id.type;
  return id.generate === 'auto_increment' ? 'bigint' : 'string';
}

export function schemaListTables(release: ReleaseSnapshot) {
  const tables = tablesOf(release);
  return {
    tables: Object.keys(tables)
      .sort()
      .map((name) => ({ name, connection: connectionOf(tables[name] ?? {}) })),
  };
}

export function schemaGetTable(release: ReleaseSnapshot, name: string) {
  const table = tableOf(release, name);
  const declared = (table.columns ?? {}) as Record<string, Row>;
  const names = Object.keys(declared).sort();
  const columns = [
    { name: idName(table), type: idType(table), nullable: false },
    ...names.map((column) => ({
      name: column,
      type: String(declared[column]?.type ?? 'string'),
      nullable: declared[column]?.nullable === true,
    })),
  ];
  const foreignKeys = names.flatMap((column) => {
    const references = declared[column]?.references as Row | undefined;
    if (typeof references?.table !== 'string') return [];
    const target = tablesOf(release)[references.table];
    const targetColumn = typeof references.column === 'string' ? references.column : target ? idName(target) : 'id';
    return [{ column, references: { table: references.table, column: targetColumn } }];
  });
  return {
    name,
    connection: connectionOf(table),
    primaryKey: { name: idName(table), type: idType(table) },
    columns,
    foreignKeys,
  };
}

/** A rule as the permissions file gives it (one object or a list), in file order, with `allow: true`. */
function rulesOf(raw: unknown): Row[] {
  const list = Array.isArray(raw) ? raw : raw !== null && typeof raw === 'object' ? [raw] : [];
  return list.map((rule: Row) => ({
    roles: Array.isArray(rule.roles) ? rule.roles.filter((role): role is string => typeof role === 'string') : [],
    allow: true,
    ...(typeof rule.condition === 'string' ? { condition: rule.condition } : {}),
    ...(Array.isArray(rule.columns)
      ? { columns: rule.columns.filter((column): column is string => typeof column === 'string') }
      : {}),
  }));
}

export function permissionsGetTable(release: ReleaseSnapshot, name: string) {
  tableOf(release, name);
  const declared = (Object.hasOwn(release.permissions.tables, name) ? release.permissions.tables[name] : {}) as Row;
  const rules = Object.fromEntries(OPERATIONS.map((operation) => [operation, rulesOf(declared?.[operation])]));
  return { table: name, rules };
}
