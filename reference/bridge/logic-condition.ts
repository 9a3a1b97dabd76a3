/**
 * A logic's `condition` (LOGICS-008), parsed, type-checked and evaluated
 * when the logic is called — never at apply, so one malformed condition
 * fails only its own logic. The context is request-scoped: `request.auth.sub`
 * (string), `request.auth.roles` (list of strings) and `request.params`
 * (the resolved params). Outcomes: true runs the SQL; false is 403; a parse
 * error, a type error (`request.auth.roles == "x"` compares a list with a
 * string), an unknown name, a non-boolean result or an evaluation error is
 * 400; any mention of `resource` is 400 ("unsupported": there is no row).
 */
import { Environment, type ParseResult } from '@marcbachmann/cel-js';
import type { Caller } from './credentials.ts';
import { badRequest, forbidden } from './errors.ts';

const LOGIC_CEL = new Environment({ unlistedVariablesAreDyn: false })
  .registerType({ name: 'LogicAuth', schema: { sub: 'string', roles: 'list<string>' } })
  .registerType({ name: 'LogicRequest', schema: { auth: 'LogicAuth', params: 'map<string, dyn>' } })
  .registerVariable('request', 'LogicRequest');

type Checked = { readonly ok: true; readonly program: ParseResult } | { readonly ok: false; readonly reason: string };

const checked = new Map<string, Checked>();
const MAX_CACHED = 1_000;

function firstLine(error: unknown): string {
  return (error instanceof Error ? (error.message.split('\n')[0] ?? '') : String(error)).slice(0, 160);
}

function mentionsResource(node: unknown): boolean {
  if (Array.isArray(node)) return node.some(mentionsResource);
  if (typeof node !== 'object' || node === null) return false;
  const { op, args } = node as { op?: unknown; args?: unknown };
  if (op === 'id') return args === 'resource';
  return mentionsResource(args);
}

function check(text: string): Checked {
  let program: ParseResult;
  try {
    program = LOGIC_CEL.parse(text);
  } catch (error) {
    return { ok: false, reason: `condition is not valid CEL: ${firstLine(error)}` };
  }
  if (mentionsResource(program.ast))
    return {
      ok: false,
      reason: `unsupported CEL condition '${text.slice(0, 120)}': a logic condition cannot use resource (there is no row)`,
    };
  const types = program.check();
  if (!types.valid) return { ok: false, reason: `condition does not type-check: ${firstLine(types.error)}` };
  if (types.type !== 'bool' && types.type !== 'dyn')
    return { ok: false, reason: `condition must be a boolean, not ${types.type ?? 'unknown'}` };
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

/** Throws 400 or 403 unless the condition holds for this caller and these params. */
export function checkLogicCondition(text: string, caller: Caller, params: Record<string, unknown>): void {
  const result = compiled(text);
  if (!result.ok) throw badRequest(result.reason);
  let value: unknown;
  try {
    value = result.program({ request: { auth: { sub: caller.sub, roles: [...caller.roles] }, params } });
  } catch (error) {
    throw badRequest(`condition could not be evaluated: ${firstLine(error)}`);
  }
  if (typeof value !== 'boolean') throw badRequest('condition did not evaluate to a boolean');
  if (!value) throw forbidden('condition failed');
}
