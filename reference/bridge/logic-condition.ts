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
import { createConditionChecker } from './request-condition.ts';

const LOGIC_CEL = new Environment({ unlistedVariablesAreDyn: false })
  .registerType({ name: 'LogicAuth', schema: { sub: 'string', roles: 'list<string>' } })
  .registerType({ name: 'LogicRequest', schema: { auth: 'LogicAuth', params: 'map<string, dyn>' } })
  .registerVariable('request', 'LogicRequest');

function mentionsResource(node: unknown): boolean {
  if (Array.isArray(node)) return node.some(mentionsResource);
  if (typeof node !== 'object' || node === null) return false;
  const { op, args } = node as { op?: unknown; args?: unknown };
  if (op === 'id') return args === 'resource';
  return mentionsResource(args);
}

const checkCondition = createConditionChecker(LOGIC_CEL, 'condition', (program: ParseResult, text: string) =>
  mentionsResource(program.ast)
    ? `unsupported CEL condition '${text.slice(0, 120)}': a logic condition cannot use resource (there is no row)`
    : undefined,
);

/** Throws 400 or 403 unless the condition holds for this caller and these params. */
export function checkLogicCondition(text: string, caller: Caller, params: Record<string, unknown>): void {
  checkCondition(text, { request: { auth: { sub: caller.sub, roles: [...caller.roles] }, params } });
}
