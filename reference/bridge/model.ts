/**
 * The release's schema and permission rules as the Bridge reads them.
 * Names are looked up in Maps built from own properties only, so request
 * text such as `constructor` or `__proto__` never resolves to anything.
 */
import type { ReleasePayload } from '../shared/contract.ts';
import { notFound } from '../shared/http-error.ts';

export interface Column {
  /** Declared type; the id column gets `string`, `uuid` or `serial` from its policy. */
  readonly type: string;
  readonly items?: string;
  readonly nullable: boolean;
  readonly hasDefault: boolean;
  readonly references?: { readonly table: string; readonly column?: string; readonly as?: string };
}

export interface Table {
  readonly name: string;
  readonly connection: string;
  readonly id: { readonly name: string; readonly generate: string };
  /** Every column, the id first. */
  readonly columns: ReadonlyMap<string, Column>;
}

export interface Rule {
  readonly roles: readonly string[];
  readonly condition?: string;
  /** Undefined means every column. */
  readonly columns?: readonly string[];
}

export type CrudOp = 'select' | 'insert' | 'update' | 'delete';

interface ReleaseModel {
  readonly tables: ReadonlyMap<string, Table>;
  readonly rules: ReadonlyMap<string, ReadonlyMap<string, readonly Rule[]>>;
}

const models = new WeakMap<ReleasePayload, ReleaseModel>();

function record(value: unknown): Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
}

function strings(value: unknown): string[] | undefined {
  return Array.isArray(value) ? value.filter((item): item is string => typeof item === 'string') : undefined;
}

function idType(generate: string): string {
  if (generate === 'uuid_v4' || generate === 'uuid_v7') return 'uuid';
  return generate === 'auto_increment' ? 'serial' : 'string';
}

function readColumn(raw: Record<string, unknown>): Column {
  const references = record(raw.references);
  return {
    type: typeof raw.type === 'string' ? raw.type : 'string',
    ...(typeof raw.items === 'string' ? { items: raw.items } : {}),
    nullable: raw.nullable === true,
    hasDefault: raw.default !== undefined && raw.default !== null,
    ...(typeof references.table === 'string'
      ? {
          references: {
            table: references.table,
            ...(typeof references.column === 'string' ? { column: references.column } : {}),
            ...(typeof references.as === 'string' ? { as: references.as } : {}),
          },
        }
      : {}),
  };
}

function readTable(name: string, raw: Record<string, unknown>): Table {
  const id = record(raw.id);
  const idName = typeof id.name === 'string' ? id.name : 'id';
  const generate = typeof id.generate === 'string' ? id.generate : 'ulid';
  const columns = new Map<string, Column>([
    [idName, { type: idType(generate), nullable: false, hasDefault: generate === 'auto_increment' }],
  ]);
  for (const [column, def] of Object.entries(record(raw.columns)))
    if (column !== idName) columns.set(column, readColumn(record(def)));
  return {
    name,
    connection: typeof raw.connection === 'string' ? raw.connection : 'main',
    id: { name: idName, generate },
    columns,
  };
}

function readRule(raw: unknown): Rule {
  const rule = record(raw);
  const columns = strings(rule.columns);
  return {
    roles: strings(rule.roles) ?? [],
    ...(typeof rule.condition === 'string' && rule.condition.trim() !== '' ? { condition: rule.condition } : {}),
    ...(columns && !(columns.length === 1 && columns[0] === '*') ? { columns } : {}),
  };
}

function modelOf(release: ReleasePayload): ReleaseModel {
  let model = models.get(release);
  if (model) return model;
  const tables = new Map(
    Object.entries(record(release.schema?.tables)).map(([name, raw]) => [name, readTable(name, record(raw))] as const),
  );
  const rules = new Map<string, Map<string, Rule[]>>();
  for (const [table, ops] of Object.entries(record(release.permissions?.tables))) {
    const byOp = new Map<string, Rule[]>();
    for (const [op, raw] of Object.entries(record(ops))) byOp.set(op, (Array.isArray(raw) ? raw : [raw]).map(readRule));
    rules.set(table, byOp);
  }
  model = { tables, rules };
  models.set(release, model);
  return model;
}

export function findTable(release: ReleasePayload, name: string): Table | undefined {
  return modelOf(release).tables.get(name);
}

export function tableOf(release: ReleasePayload, name: string): Table {
  const table = findTable(release, name);
  if (!table) throw notFound(`table not found: ${name.slice(0, 64)}`);
  return table;
}

export function rulesFor(release: ReleasePayload, table: string, op: CrudOp): readonly Rule[] {
  return modelOf(release).rules.get(table)?.get(op) ?? [];
}

export function quote(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}
