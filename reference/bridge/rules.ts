/**
 * Permission rules: the first rule whose roles match the caller decides;
 * its CEL condition becomes a SQL filter (`resource.<col> == …`) or a
 * request gate; its column list limits what may be read or written.
 */
import { evaluate, parse } from '@marcbachmann/cel-js';
import { badRequest, forbidden, unauthorized } from '../shared/http-error.ts';
import type { Caller } from './credentials.ts';
import { columnNames, quote, type Rule, type Table } from './model.ts';
import type { Params } from './sql.ts';
import { castOf } from './values.ts';

interface Node {
  readonly op: string;
  readonly args: unknown;
}

export function effectiveRoles(caller: Caller): string[] {
  return [...caller.roles, 'public', ...(caller.kind === 'anonymous' ? [] : ['authenticated'])];
}

export function pickRule(rules: readonly Rule[], caller: Caller): Rule {
  const roles = effectiveRoles(caller);
  const rule = rules.find((candidate) => candidate.roles.some((role) => roles.includes(role)));
  if (!rule && caller.kind === 'anonymous') throw unauthorized('a credential is required for this operation');
  if (!rule) throw forbidden('no permission rule matches the caller');
  return rule;
}

export function allowedColumns(rule: Rule, table: Table): string[] {
  const all = columnNames(table);
  return !rule.columns || rule.columns.includes('*') ? all : all.filter((name) => rule.columns?.includes(name));
}

function context(caller: Caller, params: unknown = {}) {
  return { request: { auth: { sub: caller.sub ?? '', roles: [...caller.roles] }, params } };
}

function mentionsResource(node: unknown): boolean {
  if (typeof node !== 'object' || node === null) return false;
  const { op, args } = node as Node;
  if (op === 'id' && args === 'resource') return true;
  return Array.isArray(args) && args.some(mentionsResource);
}

function resourceColumn(node: Node): string | undefined {
  const args = node.args as unknown[];
  const target = args[0] as Node | undefined;
  return node.op === '.' && target?.op === 'id' && target.args === 'resource' && typeof args[1] === 'string' ? args[1] : undefined;
}

/** Value of a request-scoped expression (no `resource`), evaluated with cel-js. */
function requestValue(node: Node, expression: string, caller: Caller): unknown {
  if (node.op === 'value') return typeof node.args === 'bigint' ? Number(node.args) : node.args;
  if (mentionsResource(node)) throw badRequest(`unsupported CEL condition: ${expression}`);
  return evaluate(serializeNode(node), context(caller));
}

function serializeNode(node: Node): string {
  if (node.op === 'id') return String(node.args);
  if (node.op === '.') {
    const [target, field] = node.args as [Node, string];
    return `${serializeNode(target)}.${field}`;
  }
  throw badRequest('unsupported CEL construct');
}

/** `resource.a == x && resource.b == "lit"` → SQL conditions; anything else touching `resource` is a hard 400. */
function toSql(node: Node, expression: string, table: Table, caller: Caller, params: Params): string[] {
  if (node.op === '&&') return (node.args as Node[]).flatMap((arg) => toSql(arg, expression, table, caller, params));
  if (node.op === '==') {
    const [left, right] = node.args as [Node, Node];
    const column = resourceColumn(left) ?? resourceColumn(right);
    const other = resourceColumn(left) ? right : left;
    if (column && columnNames(table).includes(column) && !mentionsResource(other)) {
      const value = requestValue(other, expression, caller);
      return [`${quote(column)} = ${params.add(value, column === table.id.name ? undefined : castOf(table.columns[column]))}`];
    }
  }
  throw badRequest(`unsupported CEL condition for row filtering: ${expression}`);
}

/** SQL filters for the rule's condition; a request-only condition is a gate (false → 403). */
export function conditionFilters(rule: Rule, table: Table, caller: Caller, params: Params): string[] {
  if (!rule.condition) return [];
  const ast = (parse(rule.condition) as unknown as { ast: Node }).ast;
  if (mentionsResource(ast)) return toSql(ast, rule.condition, table, caller, params);
  checkGate(rule.condition, caller);
  return [];
}

export function checkGate(condition: string, caller: Caller, params: unknown = {}): void {
  let result: unknown;
  try {
    result = evaluate(condition, context(caller, params));
  } catch (error) {
    throw badRequest(`condition could not be evaluated: ${(error as Error).message.split('\n')[0] ?? ''}`);
  }
  if (typeof result !== 'boolean') throw badRequest('condition did not evaluate to a boolean');
  if (!result) throw forbidden('condition denied the request');
}
