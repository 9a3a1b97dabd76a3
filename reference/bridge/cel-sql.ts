/**
 * A permission rule's CEL condition (SECURITY-001…003), parsed by a real CEL
 * engine: exactly one `resource.<column> == <value>` term, the value
 * `request.auth.sub` or a string, integer or boolean literal, on either
 * side. It becomes `"<column>" = $n` (conditions.ts). Anything else — `&&`,
 * `||`, other operators, a condition without `resource` — is unsupported: a
 * hard 400 whose message contains "unsupported" and names what was refused,
 * never "allow", never ignored.
 */
import { parse } from '@marcbachmann/cel-js';
import { badRequest } from './errors.ts';

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
  { readonly kind: 'term'; readonly term: Term } | { readonly kind: 'unsupported'; readonly reason: string };

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

function compile(text: string): Compiled {
  let ast: unknown;
  try {
    ast = (parse(text) as unknown as { ast: unknown }).ast;
  } catch {
    return { kind: 'unsupported', reason: 'the condition is not valid CEL' };
  }
  if (!isNode(ast) || !mentionsResource(ast))
    return {
      kind: 'unsupported',
      reason: 'a condition must compare resource.<column> with request.auth.sub or a literal',
    };
  if (ast.op === '&&')
    return { kind: 'unsupported', reason: "operator '&&': a condition is a single resource.<column> == <value>" };
  const term = termOf(ast);
  return typeof term === 'string' ? { kind: 'unsupported', reason: term } : { kind: 'term', term };
}

/** Parses once per condition text; the result (or its problem) is cached. */
export function compileRowCondition(text: string): Compiled {
  let result = compiled.get(text);
  if (!result) {
    result = compile(text);
    if (compiled.size >= MAX_CACHED) compiled.clear();
    compiled.set(text, result);
  }
  return result;
}

export function unsupported(text: string, reason: string): never {
  throw badRequest(`unsupported CEL condition '${text.slice(0, 120)}': ${reason}`);
}
