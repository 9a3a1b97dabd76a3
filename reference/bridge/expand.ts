/** `expand: ["user"]` on select: one query per declared relation, under the related table's select rule. */
import { badRequest } from '../shared/http-error.ts';
import type { CrudRequest, Args } from './crud.ts';
import { quote, rulesFor, tableOf, type Table } from './model.ts';
import { allowedColumns, pickRule } from './rules.ts';

export async function expandRows(request: CrudRequest, table: Table, rows: Args[], expand: unknown): Promise<Args[]> {
  if (!Array.isArray(expand)) throw badRequest('expand must be a list of relation names');
  for (const relation of expand.map(String)) {
    const entry = Object.entries(table.columns).find(([, column]) => column.references?.as === relation);
    if (!entry) throw badRequest(`unknown expand relation '${relation.slice(0, 64)}'`);
    const [foreignKey, column] = entry;
    const target = tableOf(request.release, column.references?.table ?? '');
    const rule = pickRule(rulesFor(request.release, target.name, 'select'), request.caller);
    const readable = allowedColumns(rule, target);
    const keyColumn = column.references?.column ?? target.id.name;
    const keys = [...new Set(rows.map((row) => row[foreignKey]).filter((key) => key !== null && key !== undefined))];
    const url = request.release.connections[target.connection]?.db_url ?? '';
    const related = keys.length === 0 ? [] : ((await request.pools.pool(url).query(
      `SELECT ${[...new Set([keyColumn, ...readable])].map(quote).join(', ')} FROM ${quote(target.name)} WHERE ${quote(keyColumn)} = ANY($1)`,
      [keys.map(String)],
    )).rows as Args[]);
    const byKey = new Map(related.map((row) => [String(row[keyColumn]), row]));
    for (const row of rows) row[relation] = row[foreignKey] === null || row[foreignKey] === undefined ? null : (byKey.get(String(row[foreignKey])) ?? null);
  }
  return rows;
}
