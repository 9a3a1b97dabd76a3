/**
 * A CEL condition checked when a request needs it (logics, storage rules):
 * parsed and type-checked once per text (cached), then evaluated against the
 * request's activation. True goes on; false is 403; a parse or type error, a
 * rejected shape, a non-boolean result or an evaluation error is 400. Each
 * message starts with the checker's label, so the caller can tell which
 * condition refused.
 */
import type { Environment, ParseResult } from '@marcbachmann/cel-js';
import { badRequest, forbidden } from './errors.ts';

type Checked = { readonly ok: true; readonly program: ParseResult } | { readonly ok: false; readonly reason: string };

const MAX_CACHED = 1_000;

export function firstLine(error: unknown): string {
  return (error instanceof Error ? (error.message.split('\n')[0] ?? '') : String(error)).slice(0, 160);
}

export interface ConditionChecker {
  /** Throws 400 or 403 unless the condition holds for this activation. */
  (text: string, activation: Record<string, unknown>): void;
}

/** `refuse` sees the parsed program before type-checking and names why its shape is refused, if it is. */
export function createConditionChecker(
  environment: Environment,
  label: string,
  refuse: (program: ParseResult, text: string) => string | undefined = () => undefined,
): ConditionChecker {
  const checked = new Map<string, Checked>();
  const check = (text: string): Checked => {
    let program: ParseResult;
    try {
      program = environment.parse(text);
    } catch (error) {
      return { ok: false, reason: `${label} is not valid CEL: ${firstLine(error)}` };
    }
    const refused = refuse(program, text);
    if (refused !== undefined) return { ok: false, reason: refused };
    const types = program.check();
    if (!types.valid) return { ok: false, reason: `${label} does not type-check: ${firstLine(types.error)}` };
    if (types.type !== 'bool' && types.type !== 'dyn')
      return { ok: false, reason: `${label} must be a boolean, not ${types.type ?? 'unknown'}` };
    return { ok: true, program };
  };
  return (text, activation) => {
    let result = checked.get(text);
    if (!result) {
      result = check(text);
      if (checked.size >= MAX_CACHED) checked.clear();
      checked.set(text, result);
    }
    if (!result.ok) throw badRequest(result.reason);
    let value: unknown;
    try {
      value = result.program(activation);
    } catch (error) {
      throw badRequest(`${label} could not be evaluated: ${firstLine(error)}`);
    }
    if (typeof value !== 'boolean') throw badRequest(`${label} did not evaluate to a boolean`);
    if (!value) throw forbidden(`${label} failed`);
  };
}
