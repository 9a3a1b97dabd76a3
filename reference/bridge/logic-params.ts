/**
 * Logic params (LOGICS-004/005) and their binding: every `:name`,
 * `:auth.sub` and `:auth.roles` outside quotes, comments and `::` casts
 * becomes a positional parameter cast to its declared type. Values are
 * never spliced into the SQL text.
 */
import type { Caller } from './credentials.ts';
import { badRequest, HttpError } from './errors.ts';
import type { LogicFile, ParamSpec } from './logic-file.ts';
import { isPlainObject } from './where.ts';

const TYPES: Readonly<Record<string, { fits: (value: unknown) => boolean; cast: string }>> = {
  string: { fits: (value) => typeof value === 'string', cast: 'text' },
  int: { fits: (value) => typeof value === 'number' && Number.isSafeInteger(value), cast: 'bigint' },
  float: { fits: (value) => typeof value === 'number' && Number.isFinite(value), cast: 'double precision' },
  boolean: { fits: (value) => typeof value === 'boolean', cast: 'boolean' },
  bool: { fits: (value) => typeof value === 'boolean', cast: 'boolean' },
};

export interface ResolvedParams {
  /** Every declared param: supplied, defaulted, or null. */
  readonly bound: ReadonlyMap<string, unknown>;
  /** `request.params` for the condition: absent optional params without default are left out. */
  readonly visible: Record<string, unknown>;
}

export function resolveParams(file: LogicFile, given: unknown): ResolvedParams {
  if (given !== undefined && given !== null && !isPlainObject(given)) throw badRequest('params must be an object');
  const supplied = given ?? {};
  for (const name of Object.keys(supplied)) {
    if (!file.params.some((spec) => spec.name === name)) throw badRequest(`unknown param: ${name.slice(0, 64)}`);
  }
  const bound = new Map<string, unknown>();
  const visible: Record<string, unknown> = {};
  for (const spec of file.params) {
    const present = Object.hasOwn(supplied, spec.name);
    if (!present && !spec.hasDefault) {
      if (spec.required) throw badRequest(`missing required param: ${spec.name}`);
      bound.set(spec.name, null);
      continue;
    }
    const value = present ? supplied[spec.name] : spec.default;
    const type = spec.type === undefined ? undefined : TYPES[spec.type];
    if (type && (value === null || !type.fits(value))) throw badRequest(`invalid type for param: ${spec.name}`);
    bound.set(spec.name, value);
    visible[spec.name] = value;
  }
  return { bound, visible };
}

function castFor(spec: ParamSpec | undefined): string {
  const type = spec?.type === undefined ? undefined : TYPES[spec.type];
  return type ? `::${type.cast}` : '';
}

/** Length of a quoted run, comment or dollar-quoted string starting at `i`, or 0. */
function skippable(sql: string, i: number): number {
  const rest = sql.slice(i);
  const quoted = /^(?:'(?:[^']|'')*'|"(?:[^"]|"")*"|--[^\n]*|::)/.exec(rest);
  if (quoted) return quoted[0].length;
  if (rest.startsWith('/*')) {
    const end = rest.indexOf('*/', 2);
    return end < 0 ? rest.length : end + 2;
  }
  const dollar = /^\$([A-Za-z_][A-Za-z0-9_]*)?\$/.exec(rest);
  if (dollar) {
    const end = rest.indexOf(dollar[0], dollar[0].length);
    return end < 0 ? rest.length : end + dollar[0].length;
  }
  return 0;
}

export interface BoundSql {
  readonly text: string;
  readonly values: readonly unknown[];
}

/** The SQL split around its placeholders: `parts.length === names.length + 1`. */
interface Template {
  readonly parts: readonly string[];
  readonly names: readonly string[];
}

const templates = new WeakMap<LogicFile, Template>();

function compileTemplate(sql: string): Template {
  const parts: string[] = [];
  const names: string[] = [];
  let current = '';
  for (let i = 0; i < sql.length;) {
    const skip = skippable(sql, i);
    const placeholder =
      skip === 0 && sql[i] === ':'
        ? /^:(auth\.(?:sub|roles)\b|[A-Za-z_][A-Za-z0-9_]*)/.exec(sql.slice(i, i + 80))
        : null;
    if (placeholder?.[1]) {
      parts.push(current);
      names.push(placeholder[1]);
      current = '';
      i += placeholder[0].length;
    } else {
      const length = Math.max(skip, 1);
      current += sql.slice(i, i + length);
      i += length;
    }
  }
  parts.push(current);
  return { parts, names };
}

function valueFor(name: string, params: ResolvedParams, caller: Caller): unknown {
  if (name === 'auth.sub') return caller.sub;
  if (name === 'auth.roles') return [...caller.roles];
  if (!params.bound.has(name)) throw new HttpError('INTERNAL_ERROR', `logic uses an undeclared placeholder :${name}`);
  return params.bound.get(name);
}

export function bindPlaceholders(file: LogicFile, params: ResolvedParams, caller: Caller): BoundSql {
  let template = templates.get(file);
  if (!template) {
    template = compileTemplate(file.sql);
    templates.set(file, template);
  }
  const values = template.names.map((name) => valueFor(name, params, caller));
  const text = template.parts
    .map((part, index) => {
      const name = template.names[index];
      if (name === undefined) return part;
      const cast =
        name === 'auth.sub'
          ? '::text'
          : name === 'auth.roles'
            ? '::text[]'
            : castFor(file.params.find((spec) => spec.name === name));
      return `${part}$${index + 1}${cast}`;
    })
    .join('');
  return { text, values };
}
