/**
 * `config/storage.yaml` as the Bridge reads it from the release (STORAGE-001,
 * -002, -003, -006): key normalisation, key-glob patterns with `{name}`
 * variables, the first matching pattern in file order, and the rule of the
 * operation (every multipart op uses `upload_sign`). Pure functions.
 */
import type { ReleasePayload } from '../shared/contract.ts';
import { badRequest } from './errors.ts';

export const STORAGE_OPS = [
  'upload_sign',
  'download_sign',
  'delete',
  'multipart_create',
  'multipart_sign_part',
  'multipart_complete',
  'multipart_abort',
] as const;
export type StorageOp = (typeof STORAGE_OPS)[number];
export type RuleName = 'upload_sign' | 'download_sign' | 'delete';

export interface StorageRule {
  readonly roles: readonly string[];
  readonly condition?: string;
  /** Bytes; undefined when the rule sets no `maxSize`. */
  readonly maxSize?: number;
  readonly allowedTypes?: readonly string[];
}

export interface PolicyMatch {
  readonly pattern: string;
  /** `{name}` segments of the pattern bound to the key's segments. */
  readonly path: Readonly<Record<string, string>>;
  /** Undefined when the matching pattern has no rule for the operation (default deny). */
  readonly rule: StorageRule | undefined;
}

const MAX_KEY_BYTES = 1024;
const UNITS: Readonly<Record<string, number>> = { B: 1, KB: 1024, MB: 1024 ** 2, GB: 1024 ** 3 };
const VARIABLE = /^\{([A-Za-z_][A-Za-z0-9_]*)\}$/;

export function isStorageOp(op: string): op is StorageOp {
  return (STORAGE_OPS as readonly string[]).includes(op);
}

export function ruleNameOf(op: StorageOp): RuleName {
  return op === 'download_sign' || op === 'delete' ? op : 'upload_sign';
}

/** Trimmed; refused when empty, too long, with control characters, a leading `/`, `//`, `..` or a `.`/empty segment. */
export function normalizeKey(raw: unknown): string {
  if (typeof raw !== 'string') throw badRequest('key is required and must be a string');
  const key = raw.trim();
  const problem =
    key === ''
      ? 'it is empty'
      : Buffer.byteLength(key) > MAX_KEY_BYTES
        ? `it is longer than ${MAX_KEY_BYTES} bytes`
        : /[\u0000-\u001f\u007f]/.test(key)
          ? 'it contains control characters'
          : key.startsWith('/')
            ? 'it starts with /'
            : key.includes('//')
              ? 'it contains //'
              : key.includes('..')
                ? 'it contains ..'
                : key.endsWith('/') || key.split('/').includes('.')
                  ? 'it has an empty or "." segment'
                  : undefined;
  if (problem) throw badRequest(`invalid storage key: ${problem}`);
  return key;
}

/** `5MB`, `512KB`, `10 GB`, `1024` (bytes), 1024-based; undefined when not a size. */
export function parseSize(value: unknown): number | undefined {
  if (typeof value === 'number') return Number.isSafeInteger(value) && value >= 0 ? value : undefined;
  const match = typeof value === 'string' ? /^\s*(\d+)\s*(B|KB|MB|GB)?\s*$/i.exec(value) : null;
  if (!match) return undefined;
  const bytes = Number(match[1]) * (UNITS[(match[2] ?? 'B').toUpperCase()] ?? 1);
  return Number.isSafeInteger(bytes) ? bytes : undefined;
}

function globSegment(segment: string, text: string): boolean {
  const pattern = segment
    .split('*')
    .map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
    .join('.*');
  return new RegExp(`^${pattern}$`, 's').test(text);
}

/** Same number of segments; `*` any segment, `{name}` any segment bound as `path.name`, else a `*` glob. */
export function matchPattern(pattern: string, key: string): Record<string, string> | undefined {
  const wanted = pattern.split('/');
  const given = key.split('/');
  if (wanted.length !== given.length) return undefined;
  const path: Record<string, string> = {};
  for (const [index, segment] of wanted.entries()) {
    const text = given[index] ?? '';
    const variable = VARIABLE.exec(segment)?.[1];
    if (variable !== undefined) path[variable] = text;
    else if (segment !== '*' && !globSegment(segment, text)) return undefined;
  }
  return path;
}

function record(value: unknown): Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
}

function readRule(raw: unknown): StorageRule | undefined {
  if (raw === undefined) return undefined;
  const rule = record(raw);
  const strings = (value: unknown) =>
    Array.isArray(value) ? value.filter((item): item is string => typeof item === 'string') : undefined;
  const maxSize = rule.maxSize === undefined ? undefined : parseSize(rule.maxSize);
  if (rule.maxSize !== undefined && maxSize === undefined) throw badRequest('the storage rule has an invalid maxSize');
  const allowedTypes = strings(rule.allowedTypes);
  return {
    roles: strings(rule.roles) ?? [],
    ...(typeof rule.condition === 'string' && rule.condition.trim() !== '' ? { condition: rule.condition } : {}),
    ...(maxSize !== undefined ? { maxSize } : {}),
    ...(allowedTypes ? { allowedTypes } : {}),
  };
}

/** Patterns in file order: the Hub sends `policyOrder` because the stored release does not keep key order. */
function patternsOf(storage: Record<string, unknown>, policies: Record<string, unknown>): string[] {
  const order = Array.isArray(storage.policyOrder)
    ? storage.policyOrder.filter((name): name is string => typeof name === 'string' && Object.hasOwn(policies, name))
    : [];
  return [...order, ...Object.keys(policies).filter((name) => !order.includes(name))];
}

/** The first pattern that matches the key, with the rule for `op`; undefined when none matches. */
export function matchPolicy(release: ReleasePayload, key: string, op: RuleName): PolicyMatch | undefined {
  const storage = record(release.storage);
  const policies = record(storage.policies);
  for (const pattern of patternsOf(storage, policies)) {
    const path = matchPattern(pattern, key);
    if (path) return { pattern, path, rule: readRule(record(policies[pattern])[op]) };
  }
  return undefined;
}
