/** Validates permissions and logics against the parsed schema; problems are SCHEMA_VALIDATION_FAILED with file and path. */
import { parse as parseCel } from '@marcbachmann/cel-js';
import { parse as parseYaml } from 'yaml';
import type { SchemaModel } from './model.ts';
import { invalid, parseYamlFile } from './parse-schema.ts';

const OPERATIONS = ['select', 'insert', 'update', 'delete'];
const RULE_KEYS = ['roles', 'condition', 'columns'];
const ROLE = /^[a-z][a-z0-9_-]{0,62}$/;
const LOGIC_NAME = /^[a-z0-9_-]+(\/[a-z0-9_-]+)*$/;
const PERMISSIONS_FILE = 'config/permissions.yaml';

function checkCondition(condition: unknown, path: string): void {
  if (typeof condition !== 'string') throw invalid(PERMISSIONS_FILE, path, 'must be a CEL string');
  try {
    parseCel(condition);
  } catch (error) {
    throw invalid(PERMISSIONS_FILE, path, `not valid CEL: ${(error as Error).message.split('\n')[0] ?? ''}`);
  }
}

function checkRule(rule: unknown, columns: readonly string[], path: string): void {
  if (typeof rule !== 'object' || rule === null || Array.isArray(rule)) throw invalid(PERMISSIONS_FILE, path, 'a rule must be a mapping');
  const entries = rule as Record<string, unknown>;
  for (const key of Object.keys(entries)) if (!RULE_KEYS.includes(key)) throw invalid(PERMISSIONS_FILE, `${path}.${key}`, 'unknown rule key');
  const roles = entries.roles;
  if (!Array.isArray(roles) || roles.length === 0 || !roles.every((role) => typeof role === 'string' && ROLE.test(role))) {
    throw invalid(PERMISSIONS_FILE, `${path}.roles`, 'must be a non-empty list of role names');
  }
  if (entries.condition !== undefined) checkCondition(entries.condition, `${path}.condition`);
  if (entries.columns !== undefined) {
    const listed = entries.columns;
    if (!Array.isArray(listed)) throw invalid(PERMISSIONS_FILE, `${path}.columns`, 'must be a list');
    const star = listed.includes('*');
    if (star && listed.length > 1) throw invalid(PERMISSIONS_FILE, `${path}.columns`, '"*" cannot be mixed with names');
    for (const column of listed) if (!star && !columns.includes(String(column))) throw invalid(PERMISSIONS_FILE, `${path}.columns`, `unknown column '${String(column)}'`);
  }
}

/** Parsed permissions (`{ tables: {} }` when absent). */
export function parsePermissions(text: string | null | undefined, schema: SchemaModel): { tables: Record<string, unknown> } {
  if (text === null || text === undefined || text.trim() === '') return { tables: {} };
  const document = (parseYamlFile(PERMISSIONS_FILE, text) ?? {}) as Record<string, unknown>;
  const tables = (document.tables ?? {}) as Record<string, unknown>;
  if (typeof tables !== 'object' || Array.isArray(tables)) throw invalid(PERMISSIONS_FILE, 'tables', 'must be a mapping');
  for (const [table, ops] of Object.entries(tables)) {
    const declared = schema.tables[table];
    if (!declared) throw invalid(PERMISSIONS_FILE, `tables.${table}`, 'table is not declared in the schema');
    const columns = [declared.id.name, ...Object.keys(declared.columns)];
    for (const [op, rules] of Object.entries((ops ?? {}) as Record<string, unknown>)) {
      if (!OPERATIONS.includes(op)) throw invalid(PERMISSIONS_FILE, `tables.${table}.${op}`, 'unknown operation');
      const list = Array.isArray(rules) ? rules : [rules];
      list.forEach((rule, index) => checkRule(rule, columns, Array.isArray(rules) ? `tables.${table}.${op}[${index}]` : `tables.${table}.${op}`));
    }
  }
  return { tables: tables as Record<string, unknown> };
}

export function parseStorage(text: string | null | undefined): Record<string, unknown> {
  if (text === null || text === undefined || text.trim() === '') return {};
  return ((parseYamlFile('config/storage.yaml', text) ?? {}) as Record<string, unknown>) ?? {};
}

/** Logic names and front-matter syntax; the Bridge interprets the rest. */
export function checkLogics(logics: Record<string, unknown> | null | undefined): Record<string, string> {
  const checked: Record<string, string> = {};
  for (const [name, text] of Object.entries(logics ?? {})) {
    const file = `logics/${name}.sql`;
    if (!LOGIC_NAME.test(name)) throw invalid(file, '(name)', 'logic names are /-separated segments of a-z, 0-9, _ and -');
    if (typeof text !== 'string') throw invalid(file, '(document)', 'must be SQL text');
    const match = /^---\r?\n([\s\S]*?)\r?\n---\r?\n/.exec(text);
    if (match) {
      let front: unknown;
      try {
        front = parseYaml(match[1] ?? '');
      } catch (error) {
        throw invalid(file, '(front-matter)', `not valid YAML: ${(error as Error).message.split('\n')[0] ?? ''}`);
      }
      const condition = (front as Record<string, unknown> | null)?.condition;
      if (condition !== undefined) {
        try {
          parseCel(String(condition));
        } catch (error) {
          throw invalid(file, 'condition', `not valid CEL: ${(error as Error).message.split('\n')[0] ?? ''}`);
        }
      }
    }
    checked[name] = text;
  }
  return checked;
}
