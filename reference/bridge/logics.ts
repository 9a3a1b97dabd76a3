/**
 * `logics/<name>` (LOGICS-001…008), checked in a fixed order — lookup 404 →
 * `auth` 401 → `roles` 401/403 → params 400 → condition 400/403 — then one
 * statement with every placeholder bound. A result set answers rows,
 * anything else `{ "affected": n }`.
 */
import type { ReleasePayload } from '../shared/contract.ts';
import type { Caller } from './credentials.ts';
import { checkLogicCondition } from './logic-condition.ts';
import { run, type Row } from './crud-kit.ts';
import { forbidden, HttpError, notFound, unauthorized, unavailable } from './errors.ts';
import { InvalidLogicFile, parseLogicFile, type LogicFile } from './logic-file.ts';
import { bindPlaceholders, resolveParams } from './logic-params.ts';
import type { Pools } from './pools.ts';

export interface LogicContext {
  readonly release: ReleasePayload;
  readonly caller: Caller;
  readonly pools: Pools;
}

function logicOf(release: ReleasePayload, name: string): LogicFile {
  const text = Object.hasOwn(release.logics, name) ? release.logics[name] : undefined;
  if (typeof text !== 'string') throw notFound(`logic not found: ${name.slice(0, 64)}`);
  try {
    return parseLogicFile(text);
  } catch (error) {
    // parseLogicFile throws nothing but InvalidLogicFile: it wraps every other failure in one.
    const detail = (error as InvalidLogicFile).message;
    throw new HttpError('INTERNAL_ERROR', `logic '${name.slice(0, 64)}' in the release is invalid: ${detail}`);
  }
}

function guard(file: LogicFile, caller: Caller): void {
  const anonymous = caller.kind === 'anonymous';
  if (file.auth !== 'public' && anonymous) throw unauthorized('authentication required');
  if (file.roles === undefined) return;
  if (anonymous) throw unauthorized('authentication required');
  if (!file.roles.some((role) => caller.roles.includes(role))) throw forbidden('insufficient roles');
}

export async function runLogic(
  ctx: LogicContext,
  name: string,
  params: unknown,
): Promise<Row[] | { affected: number }> {
  const file = logicOf(ctx.release, name);
  guard(file, ctx.caller);
  const resolved = resolveParams(file, params);
  if (file.condition !== undefined) checkLogicCondition(file.condition, ctx.caller, resolved.visible);
  const main = Object.hasOwn(ctx.release.connections, 'main') ? ctx.release.connections.main : undefined;
  if (!main) throw unavailable("connection 'main' is not configured for this env");
  const { text, values } = bindPlaceholders(file, resolved, ctx.caller);
  const result = await run(ctx.pools.pool(main.db_url), text, values);
  return result.fields.length > 0 ? result.rows : { affected: result.rowCount ?? 0 };
}
