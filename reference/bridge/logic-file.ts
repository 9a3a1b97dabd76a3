/**
 * A logic file (`logics/<name>.sql`, project-files.md): an optional YAML
 * front-matter block between `---` lines (auth, roles, params, condition),
 * then one SQL statement. Parsed once per distinct text.
 */
import { parse as parseYaml } from 'yaml';

export interface ParamSpec {
  readonly name: string;
  /** `string`, `int`, `float`, `boolean` (`bool`); undefined accepts any JSON value. */
  readonly type?: string;
  readonly required: boolean;
  readonly hasDefault: boolean;
  readonly default?: unknown;
}

export interface LogicFile {
  readonly auth: 'public' | 'authenticated';
  /** Undefined when the file has no `roles` guard. */
  readonly roles?: readonly string[];
  /** In declaration order. */
  readonly params: readonly ParamSpec[];
  readonly condition?: string;
  readonly sql: string;
}

export class InvalidLogicFile extends Error {}

const parsed = new Map<string, LogicFile | InvalidLogicFile>();
const MAX_CACHED = 1_000;

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function readParam(name: string, raw: unknown): ParamSpec {
  if (!isObject(raw)) throw new InvalidLogicFile(`params.${name} must be a mapping`);
  if (raw.type !== undefined && typeof raw.type !== 'string')
    throw new InvalidLogicFile(`params.${name}.type must be a string`);
  if (raw.required !== undefined && typeof raw.required !== 'boolean')
    throw new InvalidLogicFile(`params.${name}.required must be true or false`);
  const hasDefault = raw.default !== undefined && raw.default !== null;
  return {
    name,
    ...(raw.type ? { type: raw.type } : {}),
    required: raw.required === true,
    hasDefault,
    ...(hasDefault ? { default: raw.default } : {}),
  };
}

function readFront(yaml: string): Omit<LogicFile, 'sql'> {
  let front: unknown;
  try {
    front = parseYaml(yaml) ?? {};
  } catch {
    throw new InvalidLogicFile('front-matter is not valid YAML');
  }
  if (!isObject(front)) throw new InvalidLogicFile('front-matter must be a mapping');
  const { auth: rawAuth = 'authenticated', roles: topRoles, params: rawParams, condition } = front;
  // `params:` with no value is YAML null: no params, as the Hub accepts it at apply.
  const params = rawParams ?? {};
  // `auth: { roles: [...] }` (the release-snapshot form of LOGICS-006) means authenticated with a roles guard.
  const nested = isObject(rawAuth) ? rawAuth.roles : undefined;
  const auth = isObject(rawAuth) ? 'authenticated' : rawAuth;
  const roles = topRoles ?? nested;
  if (isObject(rawAuth) && Object.keys(rawAuth).some((key) => key !== 'roles'))
    throw new InvalidLogicFile('auth as a mapping may only hold roles');
  if (auth !== 'public' && auth !== 'authenticated') throw new InvalidLogicFile('auth must be public or authenticated');
  if (roles !== undefined && (!Array.isArray(roles) || !roles.every((role) => typeof role === 'string')))
    throw new InvalidLogicFile('roles must be a list of role names');
  if (!isObject(params)) throw new InvalidLogicFile('params must be a mapping');
  if (condition !== undefined && typeof condition !== 'string')
    throw new InvalidLogicFile('condition must be a string');
  return {
    auth,
    ...(roles !== undefined ? { roles } : {}),
    params: Object.entries(params).map(([name, raw]) => readParam(name, raw)),
    ...(condition !== undefined && condition.trim() !== '' ? { condition } : {}),
  };
}

function parseText(text: string): LogicFile {
  const lines = text.split(/\r?\n/);
  if (lines[0]?.trim() !== '---') return { auth: 'authenticated', params: [], sql: text.trim() };
  const end = lines.findIndex((line, index) => index > 0 && line.trim() === '---');
  if (end < 0) throw new InvalidLogicFile('front-matter has no closing ---');
  return {
    ...readFront(lines.slice(1, end).join('\n')),
    sql: lines
      .slice(end + 1)
      .join('\n')
      .trim(),
  };
}

/** The parsed file, or InvalidLogicFile saying what is wrong. */
export function parseLogicFile(text: string): LogicFile {
  let result = parsed.get(text);
  if (!result) {
    try {
      result = parseText(text);
    } catch (error) {
      result = error instanceof InvalidLogicFile ? error : new InvalidLogicFile('unreadable logic file');
    }
    if (parsed.size >= MAX_CACHED) parsed.clear();
    parsed.set(text, result);
  }
  if (result instanceof InvalidLogicFile) throw result;
  return result;
}
