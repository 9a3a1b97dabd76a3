/** The release's schema and permissions as the Bridge reads them. */
import type { ReleasePayload } from '../shared/contract.ts';
import { notFound } from '../shared/http-error.ts';

export interface Column {
  readonly type: string;
  readonly items?: string;
  readonly nullable?: boolean;
  readonly references?: { readonly table: string; readonly column?: string; readonly as?: string };
}

export interface Table {
  readonly name: string;
  readonly connection: string;
  readonly id: { readonly name: string; readonly generate: string };
  readonly columns: Readonly<Record<string, Column>>;
}

export interface Rule {
  readonly roles: readonly string[];
  readonly condition?: string;
  readonly columns?: readonly string[];
}

export function tableOf(release: ReleasePayload, name: string): Table {
  const raw = (release.schema.tables as Record<string, Omit<Table, 'name'> | undefined>)[name];
  if (!raw) throw notFound(`table '${name}' not found`);
  return { name, connection: raw.connection ?? 'main', id: raw.id ?? { name: 'id', generate: 'ulid' }, columns: raw.columns ?? {} };
}

/** Every column name the table declares, id first. */
export function columnNames(table: Table): string[] {
  return [table.id.name, ...Object.keys(table.columns)];
}

export function rulesFor(release: ReleasePayload, table: string, op: string): Rule[] {
  const ops = (release.permissions.tables as Record<string, Record<string, Rule | Rule[]> | undefined>)[table];
  const rules = ops?.[op];
  if (rules === undefined) return [];
  return Array.isArray(rules) ? rules : [rules];
}

export function quote(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}
