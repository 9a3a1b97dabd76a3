/**
 * Rule selection and column lists (SECURITY-001, -004, -005): the first rule
 * whose roles match the caller decides; its column list limits what may be
 * read, filtered on, sorted by or written. Name prefixes mean nothing.
 */
import type { ReleasePayload } from '../shared/contract.ts';
import type { Caller } from './credentials.ts';
import { forbidden, unauthorized } from './errors.ts';
import { rulesFor, type CrudOp, type Rule, type Table } from './model.ts';

/** `public` matches anyone, `authenticated` any end user (never an API key), other names literally. */
export function roleMatches(role: string, caller: Caller): boolean {
  if (role === 'public') return true;
  if (role === 'authenticated') return caller.kind === 'bearer' || caller.kind === 'cookie';
  return caller.roles.includes(role);
}

export function matchingRule(release: ReleasePayload, table: Table, op: CrudOp, caller: Caller): Rule | undefined {
  return rulesFor(release, table.name, op).find((rule) => rule.roles.some((role) => roleMatches(role, caller)));
}

/** The winning rule, or 401 for anonymous callers and 403 for known ones. */
export function pickRule(release: ReleasePayload, table: Table, op: CrudOp, caller: Caller): Rule {
  const rule = matchingRule(release, table, op, caller);
  if (rule) return rule;
  if (caller.kind === 'anonymous') throw unauthorized(`authentication required for ${op} on ${table.name}`);
  throw forbidden(`no permission rule for ${op} on ${table.name} matches the caller's roles`);
}

/** The declared columns a rule covers, in declaration order. */
export function ruleColumns(rule: Rule, table: Table): string[] {
  const all = [...table.columns.keys()];
  return rule.columns === undefined ? all : all.filter((name) => rule.columns?.includes(name));
}

/** Reading, filtering or sorting on a column outside the list is 403, naming the column. */
export function requireReadable(names: Iterable<string>, readable: readonly string[]): void {
  for (const name of names) if (!readable.includes(name)) throw forbidden(`column '${name}' is not readable`);
}

/** Writing outside the list is 403, naming the first offending column alphabetically. */
export function requireWritable(names: Iterable<string>, writable: readonly string[]): void {
  const refused = [...names].filter((name) => !writable.includes(name)).sort();
  if (refused.length > 0) throw forbidden(`column '${refused[0]}' is not writable`);
}
