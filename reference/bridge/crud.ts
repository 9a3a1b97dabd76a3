/**
 * `db/<table>/<op>`: the table must exist (404), the op must be one of the
 * four (400); each op then checks its permission rule first, so a caller
 * without a rule learns nothing about its params.
 */
import { badRequest } from './errors.ts';
import type { CrudContext } from './crud-kit.ts';
import { insert } from './insert.ts';
import { tableOf } from './model.ts';
import { mutate } from './mutate.ts';
import { select } from './select.ts';

const OPS = ['select', 'insert', 'update', 'delete'] as const;

export async function runCrud(ctx: CrudContext, tableName: string, op: string, params: unknown): Promise<unknown> {
  const table = tableOf(ctx.release, tableName);
  if (!(OPS as readonly string[]).includes(op)) throw badRequest(`unknown CRUD operation: ${op.slice(0, 32)}`);
  if (op === 'select') return select(ctx, table, params);
  if (op === 'insert') return insert(ctx, table, params);
  return mutate(ctx, table, op as 'update' | 'delete', params);
}
