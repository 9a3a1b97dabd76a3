/**
 * A storage rule's `condition` (STORAGE-001, -006): CEL, parsed, type-checked
 * and evaluated when a storage op is called. The context: `request.auth.sub`
 * (string), `request.auth.roles` (list of strings), `request.params` (`key`,
 * and `contentLength` (int) and `contentType` when sent) and `path` (the
 * `{name}` segments of the matching pattern). True goes on; false is 403; a
 * parse or type error, a variable the pattern does not bind, a non-boolean
 * result or any other evaluation error is 400.
 */
import { Environment } from '@marcbachmann/cel-js';
import type { Caller } from './credentials.ts';
import { createConditionChecker } from './request-condition.ts';

const STORAGE_CEL = new Environment({ unlistedVariablesAreDyn: false })
  .registerType({ name: 'StorageAuth', schema: { sub: 'string', roles: 'list<string>' } })
  .registerType({ name: 'StorageRequest', schema: { auth: 'StorageAuth', params: 'map<string, dyn>' } })
  .registerVariable('request', 'StorageRequest')
  .registerVariable('path', 'map<string, string>');

const checkCondition = createConditionChecker(STORAGE_CEL, 'storage condition');

export interface StorageConditionInput {
  readonly caller: Caller;
  readonly params: Readonly<Record<string, unknown>>;
  readonly path: Readonly<Record<string, string>>;
}

/** Throws 400 or 403 unless the condition holds. */
export function checkStorageCondition(text: string, input: StorageConditionInput): void {
  checkCondition(text, {
    request: { auth: { sub: input.caller.sub, roles: [...input.caller.roles] }, params: { ...input.params } },
    path: { ...input.path },
  });
}
