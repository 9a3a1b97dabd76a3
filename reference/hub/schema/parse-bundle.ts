/** Validates permissions and storage against the parsed schema; problems are SCHEMA_VALIDATION_FAILED with file and path. */
import { parse as parseCel } from '@marcbachmann/cel-js';
import { HttpError } from '../../shared/http-error.ts';
import type { SchemaModel } from './model.ts';
import { invalid, parseYamlFile, shown } from './parse-schema.ts';

const OPERATIONS = ['select', 'insert', 'update', 'delete'];
const RULE_KEYS = ['roles', 'condition', 'columns'];
export const ROLE = /^[a-z][a-z0-9_-]{0,62}$/;
const PERMISSIONS_FILE = 'config/permissions.yaml';

/**
 * A permissions problem found at apply (OPERATOR-004): 422 with `details.file` and `details.path`, no release.
 * A rule's `condition` only has to be text here: the Bridge parses and translates it when the rule is
 * evaluated (SECURITY-001…003), so an unsupported or malformed condition is a 400 on the calls it governs.
 */
function refused(path: string, problem: string): HttpError {
  return new HttpError('INVALID_PERMISSIONS', `${PERMISSIONS_FILE}: ${path}: ${problem}`, {
    file: PERMISSIONS_FILE,
    path,
  });
}

/** Parses CEL, returning the AST; syntax errors become SCHEMA_VALIDATION_FAILED. */
export function checkCel(condition: unknown, file: string, path: string): unknown {
  if (typeof condition !== 'string' || condition.trim() === '') throw invalid(file, path, 'must be a CEL string');
  try {
    return parseCel(condition).ast;
  } catch (error) {
    throw invalid(file, path, `not valid CEL: ${(error as Error).message.split('\n')[0] ?? ''}`);
  }
}

function checkRule(rule: unknown, columns: readonly string[], path: string): void {
  if (typeof rule !== 'object' || rule === null || Array.isArray(rule)) throw refused(path, 'a rule must be a mapping');
  const entries = rule as Record<string, unknown>;
  for (const key of Object.keys(entries))
    if (!RULE_KEYS.includes(key)) throw refused(`${path}.${shown(key)}`, 'unknown rule key');
  const roles = entries.roles;
  if (
    !Array.isArray(roles) ||
    roles.length === 0 ||
    !roles.every((role) => typeof role === 'string' && ROLE.test(role))
  ) {
    throw refused(`${path}.roles`, 'must be a non-empty list of role names');
  }
  if (entries.condition !== undefined && (typeof entries.condition !== 'string' || entries.condition.trim() === '')) {
    throw refused(`${path}.condition`, 'must be a CEL expression (text)');
  }
  if (entries.columns !== undefined) {
    const listed = entries.columns;
    if (!Array.isArray(listed)) throw refused(`${path}.columns`, 'must be a list');
    const star = listed.includes('*');
    if (star && listed.length > 1) throw refused(`${path}.columns`, '"*" cannot be mixed with names');
    for (const column of listed)
      if (!star && !columns.includes(String(column)))
        throw refused(`${path}.columns`, `unknown column '${shown(String(column))}'`);
  }
}

/** Parsed permissions (`{ tables: {} }` when absent). */
export function parsePermissions(
  text: string | null | undefined,
  schema: SchemaModel,
): { tables: Record<string, unknown> } {
  if (text === null || text === undefined || text.trim() === '') return { tables: {} };
  let document: unknown;
  try {
    document = parseYamlFile(PERMISSIONS_FILE, text) ?? {};
  } catch (error) {
    throw error instanceof HttpError
      ? refused('(document)', error.message.replace(`${PERMISSIONS_FILE}: (document): `, ''))
      : error;
  }
  if (typeof document !== 'object' || Array.isArray(document)) throw refused('(document)', 'must be a mapping');
  const tables = (document as Record<string, unknown>).tables ?? {};
  if (typeof tables !== 'object' || tables === null || Array.isArray(tables))
    throw refused('tables', 'must be a mapping');
  for (const [table, ops] of Object.entries(tables)) {
    const declared = schema.tables[table];
    if (!declared) throw refused(`tables.${shown(table)}`, 'table is not declared in the schema');
    if (ops === null || typeof ops !== 'object' || Array.isArray(ops))
      throw refused(`tables.${table}`, 'must be a mapping of operations');
    const columns = [declared.id.name, ...Object.keys(declared.columns)];
    for (const [op, rules] of Object.entries(ops as Record<string, unknown>)) {
      if (!OPERATIONS.includes(op)) throw refused(`tables.${table}.${shown(op)}`, 'unknown operation');
      const list = Array.isArray(rules) ? rules : [rules];
      list.forEach((rule, index) =>
        checkRule(rule, columns, Array.isArray(rules) ? `tables.${table}.${op}[${index}]` : `tables.${table}.${op}`),
      );
    }
  }
  return { tables: tables as Record<string, unknown> };
}

/** Storage policies are planned: apply only checks that the file is a YAML mapping. */
export function parseStorage(text: string | null | undefined): Record<string, unknown> {
  if (text === null || text === undefined || text.trim() === '') return {};
  const document = parseYamlFile('config/storage.yaml', text) ?? {};
  if (typeof document !== 'object' || Array.isArray(document))
    throw invalid('config/storage.yaml', '(document)', 'must be a mapping');
  return document as Record<string, unknown>;
}
