/**
 * CEL conditions, parsed by a real CEL engine.
 *
 * - `compileCondition`: a condition that mentions `resource` must be one or
 *   more `resource.<column> == <value>` terms joined by `&&`, where
 *   `<value>` is `request.auth.sub` or a string, integer or boolean literal
 *   (either side); each term becomes `"<column>" = $n`. A condition without
 *   `resource` is a gate evaluated per request: true runs, false is 403, a
 *   non-boolean or an evaluation error is 400. (Storage policies use gates.)
 * - `compileRowCondition`: permission rules (SECURITY-001…003) accept only
 *   one such term; `&&`, gates and everything else are unsupported.
 * Unsupported is always a hard 400 whose message contains "unsupported" —
 * never "allow", never ignored.
 */
import { parse } from '@marcbachmann/cel-js';
import { badRequest, forbidden } from './errors.ts';

interface Node {
  readonly op: string;
  readonly args: unknown;
}

type Literal = string | bigint | boolean;

/** One `resource.<column> == <value>` term. */
export interface Term {
  readonly column: string;
  readonly value: { readonly kind: 'sub' } | { readonly kind: 'literal'; readonly literal: Literal };
}

export type Compiled =
  | { readonly kind: 'filter'; readonly terms: readonly Term[] }
  | { readonly kind: 'gate'; readonly evaluate: (context: Record<string, unknown>) => unknown }
  | { readonly kind: 'unsupported'; readonly reason: string };

const compiled = new Map<string, Compiled>();
const MAX_CACHED = 1_000;

function isNode(value: unknown): value is Node {
  return typeof value === 'object' && value !== null && typeof (value as Node).op === 'string';
}

function mentionsResource(node: unknown): boolean {
  if (Array.isArray(node)) return node.some(mentionsResource);
  if (!isNode(node)) return false;
  if (node.op === 'id') return node.args === 'resource';
  return mentionsResource(node.args);
}

function resourceColumn(node: Node): string | undefined {
  if (node.op !== '.' || !Array.isArray(node.args)) return undefined;
  const [target, field] = node.args as [unknown, unknown];
  return isNode(target) && target.op === 'id' && target.args === 'resource' && typeof field === 'string'
    ? field
    : undefined;
}

function isAuthSub(node: Node): boolean {
  if (node.op !== '.' || !Array.isArray(node.args) || node.args[1] !== 'sub') return false;
  const auth = node.args[0];
  if (!isNode(auth) || auth.op !== '.' || !Array.isArray(auth.args) || auth.args[1] !== 'auth') return false;
  const request = auth.args[0];
  return isNode(request) && request.op === 'id' && request.args === 'request';
}

function literalOf(node: Node): Literal | undefined {
  if (node.op === 'value' && ['string', 'bigint', 'boolean'].includes(typeof node.args)) return node.args as Literal;
  if (node.op === '-_' && isNode(node.args) && node.args.op === 'value' && typeof node.args.args === 'bigint')
    return -node.args.args;
  return undefined;
}

function termOf(node: Node): Term | string {
  if (node.op !== '==' || !Array.isArray(node.args)) return `operator '${node.op}' on resource`;
  const [left, right] = node.args as [Node, Node];
  const leftColumn = resourceColumn(left);
  const column = leftColumn ?? resourceColumn(right);
  const other = leftColumn === undefined ? left : right;
  if (column === undefined) return 'resource must be compared as resource.<column>';
  if (mentionsResource(other)) return 'resource on both sides of ==';
  if (isAuthSub(other)) return { column, value: { kind: 'sub' } };
  const literal = literalOf(other);
  if (literal === undefined)
    return 'the value compared with resource must be request.auth.sub or a string, integer or boolean literal';
  return { column, value: { kind: 'literal', literal } };
}

function terms(node: Node, out: Term[]): string | undefined {
  if (node.op === '&&' && Array.isArray(node.args)) {
    for (const arg of node.args) {
      const problem = isNode(arg) ? terms(arg, out) : 'malformed expression';
      if (problem) return problem;
    }
    return undefined;
  }
  if (!mentionsResource(node)) return 'a resource term combined with a request-only term';
  const term = termOf(node);
  if (typeof term === 'string') return term;
  out.push(term);
  return undefined;
}

function compile(text: string): Compiled {
  let program: ReturnType<typeof parse>;
  try {
    program = parse(text);
  } catch {
    return { kind: 'unsupported', reason: 'the condition is not valid CEL' };
  }
  const ast = (program as unknown as { ast: unknown }).ast;
  if (!mentionsResource(ast)) return { kind: 'gate', evaluate: (context) => program(context) };
  const out: Term[] = [];
  const problem = isNode(ast) ? terms(ast, out) : 'malformed expression';
  return problem ? { kind: 'unsupported', reason: problem } : { kind: 'filter', terms: out };
}

/** Parses once per condition text; the result (or its problem) is cached. */
export function compileCondition(text: string): Compiled {
  let result = compiled.get(text);
  if (!result) {
    result = compile(text);
    if (compiled.size >= MAX_CACHED) compiled.clear();
    compiled.set(text, result);
  }
  return result;
}

/** A permission rule's condition: exactly one `resource.<column> == <value>` (SECURITY-003). */
export function compileRowCondition(text: string): Compiled {
  const general = compileCondition(text);
  if (general.kind === 'unsupported') return general;
  if (general.kind === 'gate')
    return {
      kind: 'unsupported',
      reason: 'a condition must compare resource.<column> with request.auth.sub or a literal',
    };
  if (general.terms.length !== 1)
    return { kind: 'unsupported', reason: "operator '&&': a condition is a single resource.<column> == <value>" };
  return general;
}

export function unsupported(text: string, reason: string): never {
  throw badRequest(`unsupported CEL condition '${text.slice(0, 120)}': ${reason}`);
}

/** Evaluates a gate; `false` is 403, anything but a boolean is 400. */
export function runGate(gate: Extract<Compiled, { kind: 'gate' }>, context: Record<string, unknown>): void {
  let result: unknown;
  try {
    result = gate.evaluate(context);
  } catch (error) {
    const detail = error instanceof Error ? (error.message.split('\n')[0] ?? '') : 'evaluation failed';
    throw badRequest(`condition could not be evaluated: ${detail.slice(0, 160)}`);
  }
  if (typeof result !== 'boolean') throw badRequest('condition did not evaluate to a boolean');
  if (!result) throw forbidden('condition failed');
}
