/**
 * `config/storage.yaml` at apply: `policies:` maps key patterns to rules per
 * operation (`upload_sign`, `download_sign`, `delete`), each with `roles`, an
 * optional CEL `condition`, and for uploads `maxSize` and `allowedTypes`.
 * Shape problems are SCHEMA_VALIDATION_FAILED naming the file and the path;
 * a condition only has to be text here: the Bridge parses and evaluates it
 * when the rule is used.
 *
 * The release keeps `{ policies, policyOrder }`: the stored release does not
 * keep key order, and the Bridge uses the first pattern, in file order, that
 * matches a key.
 */
import { invalid, parseYamlFile, shown } from './parse-schema.ts';

const FILE = 'config/storage.yaml';
const OPERATIONS = ['upload_sign', 'download_sign', 'delete'];
const RULE_KEYS = ['roles', 'condition', 'maxSize', 'allowedTypes'];
const ROLE = /^[a-z][a-z0-9_-]{0,62}$/;
const UPLOAD_ONLY = ['maxSize', 'allowedTypes'];
const VARIABLE = /^\{([A-Za-z_][A-Za-z0-9_]*)\}$/;
const SIZE = /^\s*\d+\s*(B|KB|MB|GB)?\s*$/i;
const MIME = /^[A-Za-z0-9!#$&^_.+-]+\/[A-Za-z0-9!#$&^_.+*-]+$/;

function mapping(value: unknown, path: string, what: string): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    throw invalid(FILE, path, `must be a mapping of ${what}`);
  return value as Record<string, unknown>;
}

/** `/`-separated non-empty segments: `*`, `{name}` (each name once) or a glob without `{`, `}` or `..`. */
function checkPattern(pattern: string): void {
  const path = `policies.${shown(pattern)}`;
  const names = new Set<string>();
  for (const segment of pattern.split('/')) {
    const variable = VARIABLE.exec(segment)?.[1];
    if (variable !== undefined) {
      if (names.has(variable)) throw invalid(FILE, path, `path variable {${variable}} appears twice`);
      names.add(variable);
    } else if (segment === '' || segment === '.' || segment.includes('..') || /[{}\u0000-\u001f]/.test(segment)) {
      throw invalid(FILE, path, 'a key pattern is /-separated non-empty segments: *, {name}, or text with * wildcards');
    }
  }
}

function checkRule(raw: unknown, op: string, path: string): void {
  const rule = mapping(raw, path, 'rule fields (roles, condition, maxSize, allowedTypes)');
  for (const key of Object.keys(rule)) {
    if (!RULE_KEYS.includes(key))
      throw invalid(FILE, `${path}.${shown(key)}`, 'unknown rule key: use roles, condition, maxSize or allowedTypes');
    if (UPLOAD_ONLY.includes(key) && op !== 'upload_sign')
      throw invalid(FILE, `${path}.${key}`, 'only an upload_sign rule limits size and type');
  }
  const roles = rule.roles;
  if (
    !Array.isArray(roles) ||
    roles.length === 0 ||
    !roles.every((role) => typeof role === 'string' && ROLE.test(role))
  ) {
    throw invalid(FILE, `${path}.roles`, 'must be a non-empty list of role names (public admits anyone)');
  }
  // The Bridge parses and evaluates a condition when the rule is used (a bad one is a 400 there).
  if (rule.condition !== undefined && (typeof rule.condition !== 'string' || rule.condition.trim() === ''))
    throw invalid(FILE, `${path}.condition`, 'must be a CEL expression (text)');
  const size = rule.maxSize;
  if (
    size !== undefined &&
    !(typeof size === 'number' ? Number.isSafeInteger(size) && size >= 0 : typeof size === 'string' && SIZE.test(size))
  ) {
    throw invalid(FILE, `${path}.maxSize`, 'must be a size such as 5MB, 512KB or a number of bytes');
  }
  const types = rule.allowedTypes;
  if (
    types !== undefined &&
    !(Array.isArray(types) && types.length > 0 && types.every((type) => typeof type === 'string' && MIME.test(type)))
  ) {
    throw invalid(FILE, `${path}.allowedTypes`, 'must be a non-empty list of MIME types such as image/png');
  }
}

/** Parsed storage config (`{}` when absent or empty). */
export function parseStorage(text: string | null | undefined): Record<string, unknown> {
  if (text === null || text === undefined || text.trim() === '') return {};
  const document = mapping(parseYamlFile(FILE, text) ?? {}, '(document)', 'settings (policies)');
  for (const key of Object.keys(document))
    if (key !== 'policies') throw invalid(FILE, shown(key), 'unknown key: storage.yaml holds policies');
  if (document.policies === undefined || document.policies === null) return {};
  const policies = mapping(document.policies, 'policies', 'key patterns');
  for (const [pattern, ops] of Object.entries(policies)) {
    checkPattern(pattern);
    for (const [op, rule] of Object.entries(mapping(ops, `policies.${shown(pattern)}`, 'operations'))) {
      if (!OPERATIONS.includes(op))
        throw invalid(
          FILE,
          `policies.${shown(pattern)}.${shown(op)}`,
          'unknown operation: use upload_sign, download_sign or delete',
        );
      checkRule(rule, op, `policies.${shown(pattern)}.${op}`);
    }
  }
  return { policies, policyOrder: Object.keys(policies) };
}
