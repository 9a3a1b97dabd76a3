/**
 * Validation of `logics/**\/*.sql` at apply: names, front-matter shape, and
 * that every `:placeholder` names a declared param or `auth.sub` /
 * `auth.roles`. A `condition` is only required to be text: the Bridge
 * parses and evaluates it when the logic is called (LOGICS-008), so a
 * malformed one fails its own calls with 400 and nothing else.
 */
import { parse as parseYaml } from 'yaml';
import { ROLE } from './parse-bundle.ts';
import { invalid, shown } from './parse-schema.ts';

const LOGIC_NAME = /^[a-z0-9_-]+(\/[a-z0-9_-]+)*$/;
const PARAM_NAME = /^[A-Za-z_][A-Za-z0-9_]{0,62}$/;
const AUTH_BINDINGS = ['auth.sub', 'auth.roles'];

const PARAM_TYPES: Record<string, (value: unknown) => boolean> = {
  string: (value) => typeof value === 'string',
  int: (value) => Number.isSafeInteger(value),
  float: (value) => typeof value === 'number' && Number.isFinite(value),
  boolean: (value) => typeof value === 'boolean',
  bool: (value) => typeof value === 'boolean',
};

/**
 * Splits `---\n<yaml>\n---\n<sql>`. The block is present when the first line
 * is `---` and ends at the next `---` line (project-files.md), so a first `---`
 * with no second one is a block that never ends: refused, as the Bridge would
 * refuse the file on every call.
 */
function splitFrontMatter(text: string, file: string): { front: string | undefined; sql: string } {
  const lines = text.split(/\r?\n/);
  if (lines[0]?.trim() !== '---') return { front: undefined, sql: text };
  const end = lines.findIndex((line, index) => index > 0 && line.trim() === '---');
  if (end < 0) throw invalid(file, '(front-matter)', 'has no closing --- line');
  return { front: lines.slice(1, end).join('\n'), sql: lines.slice(end + 1).join('\n') };
}

/**
 * `:name` placeholders outside quotes, identifiers, comments and dollar-quoted
 * text (`$$…$$`, `$tag$…$tag$`, as the Bridge reads them); `::` casts are skipped.
 */
export function placeholderNames(sql: string): string[] {
  const names: string[] = [];
  const token =
    /'(?:[^']|'')*'|"(?:[^"]|"")*"|--[^\n]*|\/\*[\s\S]*?\*\/|(?<dollar>\$(?:[A-Za-z_][A-Za-z0-9_]*)?\$)[\s\S]*?\k<dollar>|::|:(?<name>[A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*)?)/g;
  for (const match of sql.matchAll(token)) if (match.groups?.name !== undefined) names.push(match.groups.name);
  return names;
}

function checkParams(raw: unknown, file: string): string[] {
  if (raw === undefined || raw === null) return [];
  if (typeof raw !== 'object' || Array.isArray(raw)) throw invalid(file, 'params', 'must be a mapping of param names');
  for (const [name, spec] of Object.entries(raw)) {
    const path = `params.${shown(name)}`;
    if (!PARAM_NAME.test(name)) throw invalid(file, path, 'is not a valid param name');
    if (spec === null || typeof spec !== 'object' || Array.isArray(spec))
      throw invalid(file, path, 'must be a mapping');
    const { type = 'string', required, default: fallback } = spec as Record<string, unknown>;
    const fits = typeof type === 'string' ? PARAM_TYPES[type] : undefined;
    if (!fits) throw invalid(file, `${path}.type`, `unknown param type '${shown(String(type))}'`);
    if (required !== undefined && typeof required !== 'boolean')
      throw invalid(file, `${path}.required`, 'must be true or false');
    if (fallback !== undefined && !fits(fallback)) throw invalid(file, `${path}.default`, `is not a ${String(type)}`);
  }
  return Object.keys(raw);
}

function checkFrontMatter(front: string, file: string): string[] {
  let parsed: unknown;
  try {
    parsed = parseYaml(front);
  } catch (error) {
    throw invalid(file, '(front-matter)', `not valid YAML: ${(error as Error).message.split('\n')[0] ?? ''}`);
  }
  if (parsed === null || parsed === undefined) return [];
  if (typeof parsed !== 'object' || Array.isArray(parsed)) throw invalid(file, '(front-matter)', 'must be a mapping');
  const { auth, roles, params, condition } = parsed as Record<string, unknown>;
  const isRoles = (value: unknown) =>
    Array.isArray(value) && value.every((role) => typeof role === 'string' && ROLE.test(role));
  if (auth !== null && typeof auth === 'object' && !Array.isArray(auth)) {
    // The release-snapshot form `auth: { roles: [...] }` (LOGICS-006): authenticated, guarded by roles.
    const keys = Object.keys(auth);
    if (keys.some((key) => key !== 'roles') || !isRoles((auth as Record<string, unknown>).roles))
      throw invalid(file, 'auth', 'as a mapping must be { roles: [role, …] }');
  } else if (auth !== undefined && auth !== 'public' && auth !== 'authenticated')
    throw invalid(file, 'auth', 'must be public, authenticated or { roles: [...] }');
  if (roles !== undefined && !isRoles(roles)) throw invalid(file, 'roles', 'must be a list of role names');
  if (condition !== undefined && (typeof condition !== 'string' || condition.trim() === ''))
    throw invalid(file, 'condition', 'must be a CEL expression (text)');
  return checkParams(params, file);
}

function checkLogic(name: string, text: unknown): string {
  const file = `logics/${shown(name)}.sql`;
  if (!LOGIC_NAME.test(name))
    throw invalid(file, '(name)', 'logic names are /-separated segments of a-z, 0-9, _ and -');
  if (typeof text !== 'string') throw invalid(file, '(document)', 'must be SQL text');
  const { front, sql } = splitFrontMatter(text, file);
  const params = front === undefined ? [] : checkFrontMatter(front, file);
  if (sql.trim() === '') throw invalid(file, '(sql)', 'holds no SQL statement');
  for (const placeholder of placeholderNames(sql)) {
    if (!params.includes(placeholder) && !AUTH_BINDINGS.includes(placeholder))
      throw invalid(file, '(sql)', `placeholder ':${shown(placeholder)}' is not a declared param`);
  }
  return text;
}

/** The checked logics map (`{}` when absent). */
export function parseLogics(logics: unknown): Record<string, string> {
  if (logics === undefined || logics === null) return {};
  if (typeof logics !== 'object' || Array.isArray(logics))
    throw invalid('logics', '(document)', 'must map logic names to SQL text');
  const checked: Record<string, string> = {};
  for (const [name, text] of Object.entries(logics)) checked[name] = checkLogic(name, text);
  return checked;
}
