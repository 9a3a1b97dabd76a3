/** Validates permissions and storage against the parsed schema; problems are SCHEMA_VALIDATION_FAILED with file and path. */
import { parse as parseCel } from '@marcbachmann/cel-js';
import type { SchemaModel } from './model.ts';
import { invalid, parseYamlFile, shown } from './parse-schema.ts';

const OPERATIONS = ['select', 'insert', 'update', 'delete'];
const RULE_KEYS = ['roles', 'condition', 'columns'];
export const ROLE = /^[a-z][a-z0-9_-]{0,62}$/;
const PERMISSIONS_FILE = 'config/permissions.yaml';

interface CelNode {
  readonly op: string;
  readonly args: unknown;
}

function isNode(value: unknown): value is CelNode {
  return typeof value === 'object' && value !== null && typeof (value as { op?: unknown }).op === 'string';
}

/** Column names the expression reads from `resource` (`resource.c` and `resource["c"]`). */
function resourceColumns(node: unknown, found: string[] = []): string[] {
  if (Array.isArray(node)) {
    for (const child of node) resourceColumns(child, found);
    return found;
  }
  if (!isNode(node)) return found;
  const args = Array.isArray(node.args) ? node.args : [];
  const target = args[0];
  if ((node.op === '.' || node.op === '[]') && isNode(target) && target.op === 'id' && target.args === 'resource') {
    const key = args[1];
    if (typeof key === 'string') found.push(key);
    else if (isNode(key) && key.op === 'value' && typeof key.args === 'string') found.push(key.args);
  }
  resourceColumns(args, found);
  return found;
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
  if (typeof rule !== 'object' || rule === null || Array.isArray(rule)) throw invalid(PERMISSIONS_FILE, path, 'a rule must be a mapping');
  const entries = rule as Record<string, unknown>;
  for (const key of Object.keys(entries)) if (!RULE_KEYS.includes(key)) throw invalid(PERMISSIONS_FILE, `${path}.${shown(key)}`, 'unknown rule key');
  const roles = entries.roles;
  if (!Array.isArray(roles) || roles.length === 0 || !roles.every((role) => typeof role === 'string' && ROLE.test(role))) {
    throw invalid(PERMISSIONS_FILE, `${path}.roles`, 'must be a non-empty list of role names');
  }
  if (entries.condition !== undefined) {
    const ast = checkCel(entries.condition, PERMISSIONS_FILE, `${path}.condition`);
    for (const column of resourceColumns(ast)) {
      if (!columns.includes(column)) throw invalid(PERMISSIONS_FILE, `${path}.condition`, `unknown column 'resource.${shown(column)}'`);
    }
  }
  if (entries.columns !== undefined) {
    const listed = entries.columns;
    if (!Array.isArray(listed)) throw invalid(PERMISSIONS_FILE, `${path}.columns`, 'must be a list');
    const star = listed.includes('*');
    if (star && listed.length > 1) throw invalid(PERMISSIONS_FILE, `${path}.columns`, '"*" cannot be mixed with names');
    for (const column of listed) if (!star && !columns.includes(String(column))) throw invalid(PERMISSIONS_FILE, `${path}.columns`, `unknown column '${shown(String(column))}'`);
  }
}

/** Parsed permissions (`{ tables: {} }` when absent). */
export function parsePermissions(text: string | null | undefined, schema: SchemaModel): { tables: Record<string, unknown> } {
  if (text === null || text === undefined || text.trim() === '') return { tables: {} };
  const document = parseYamlFile(PERMISSIONS_FILE, text) ?? {};
  if (typeof document !== 'object' || Array.isArray(document)) throw invalid(PERMISSIONS_FILE, '(document)', 'must be a mapping');
  const tables = (document as Record<string, unknown>).tables ?? {};
  if (typeof tables !== 'object' || tables === null || Array.isArray(tables)) throw invalid(PERMISSIONS_FILE, 'tables', 'must be a mapping');
  for (const [table, ops] of Object.entries(tables)) {
    const declared = schema.tables[table];
    if (!declared) throw invalid(PERMISSIONS_FILE, `tables.${shown(table)}`, 'table is not declared in the schema');
    if (ops === null || typeof ops !== 'object' || Array.isArray(ops)) throw invalid(PERMISSIONS_FILE, `tables.${table}`, 'must be a mapping of operations');
    const columns = [declared.id.name, ...Object.keys(declared.columns)];
    for (const [op, rules] of Object.entries(ops as Record<string, unknown>)) {
      if (!OPERATIONS.includes(op)) throw invalid(PERMISSIONS_FILE, `tables.${table}.${shown(op)}`, 'unknown operation');
      const list = Array.isArray(rules) ? rules : [rules];
      list.forEach((rule, index) => checkRule(rule, columns, Array.isArray(rules) ? `tables.${table}.${op}[${index}]` : `tables.${table}.${op}`));
    }
  }
  return { tables: tables as Record<string, unknown> };
}

/** Storage policies are planned: apply only checks that the file is a YAML mapping. */
export function parseStorage(text: string | null | undefined): Record<string, unknown> {
  if (text === null || text === undefined || text.trim() === '') return {};
  const document = parseYamlFile('config/storage.yaml', text) ?? {};
  if (typeof document !== 'object' || Array.isArray(document)) throw invalid('config/storage.yaml', '(document)', 'must be a mapping');
  return document as Record<string, unknown>;
}
