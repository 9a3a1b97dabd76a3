/**
 * A storage rule's `condition` (STORAGE-001, -006): CEL, parsed, type-checked
 * and evaluated when a storage op is called. The context: `request.auth.sub`
 * (string), `request.auth.roles` (list of strings), `request.params` (`key`,
 * and `contentLength` (int) and `contentType` when sent) and `path` (the
 * `{name}` segments of the matching pattern). True goes on; false is 403; a
 * parse or type error, a variable the pattern does not bind, a non-boolean
 * result or any other evaluation error is 400.
 */
import { Environment, type ParseResult } from '@marcbachmann/cel-js';
import type { Caller } from './credentials.ts';
import { badRequest, forbidden } from './errors.ts';

const STORAGE_CEL = new Environment({ unlistedVariablesAreDyn: false })
  .registerType({ name: 'StorageAuth', schema: { sub: 'string', roles: 'list<string>' } })
  .registerType({ name: 'StorageRequest', schema: { auth: 'StorageAuth', params: 'map<string, dyn>' } })
  .registerVariable('request', 'StorageRequest')
  .registerVariable('path', 'map<string, string>');

type Checked = { readonly ok: true; readonly program: ParseResult } | { readonly ok: false; readonly reason: string };

const checked = new Map<string, Checked>();
const MAX_CACHED = 1_000;

function firstLine(error: unknown): string {
  return (error instanceof Error ? (error.message.split('\n')[0] ?? '') : String(error)).slice(0, 160);
}

function check(text: string): Checked {
  let program: ParseResult;
  try {
    program = STORAGE_CEL.parse(text);
  } catch (error) {
    return { ok: false, reason: `storage condition is not valid CEL: ${firstLine(error)}` };
  }
  const types = program.check();
  if (!types.valid) return { ok: false, reason: `storage condition does not type-check: ${firstLine(types.error)}` };
  if (types.type !== 'bool' && types.type !== 'dyn')
    return { ok: false, reason: `storage condition must be a boolean, not ${types.type ?? 'unknown'}` };
  return { ok: true, program };
}

function compiled(text: string): Checked {
  let result = checked.get(text);
  if (!result) {
    result = check(text);
    if (checked.size >= MAX_CACHED) checked.clear();
    checked.set(text, result);
  }
  return result;
}

export interface StorageConditionInput {
  readonly caller: Caller;
  readonly params: Readonly<Record<string, unknown>>;
  readonly path: Readonly<Record<string, string>>;
}

/** Throws 400 or 403 unless the condition holds. */
export function checkStorageCondition(text: string, input: StorageConditionInput): void {
  const result = compiled(text);
  if (!result.ok) throw badRequest(result.reason);
  let value: unknown;
  try {
    value = result.program({
      request: { auth: { sub: input.caller.sub, roles: [...input.caller.roles] }, params: { ...input.params } },
      path: { ...input.path },
    });
  } catch (error) {
    throw badRequest(`storage condition could not be evaluated: ${firstLine(error)}`);
  }
  if (typeof value !== 'boolean') throw badRequest('storage condition did not evaluate to a boolean');
  if (!value) throw forbidden('storage condition failed');
}
