/**
 * The last step of every tool answer (results and errors alike): secrets
 * never leave the server, whatever a release happens to contain.
 */

export const REDACTED = '[REDACTED]';

/** Members whose value is replaced whatever it is (compared in lower case). */
const SECRET_KEYS = new Set([
  'db_url',
  'api_key',
  'access_token',
  'refresh_token',
  'service_token',
  'authorization',
  'cookie',
  'set-cookie',
  'client_secret',
  'password',
  'secret',
]);

/** A string matching one of these is replaced as a whole: database URLs, bearer credentials, PASETO tokens, `sk_` keys. */
const SECRET_TEXT = [
  /\b(?:postgres(?:ql)?|mysql|mongodb(?:\+srv)?):\/\//i,
  /\bbearer\s+\S/i,
  /\bv[1-4]\.(?:local|public)\.[A-Za-z0-9_-]{8,}/,
  /^sk_/i,
];

export interface Redactor {
  value<T>(value: T): T;
  text(value: string): string;
}

/** `knownSecrets`: values this process holds (its operator token) that must never appear, even inside a longer string. */
export function createRedactor(knownSecrets: readonly string[]): Redactor {
  const known = knownSecrets.filter((secret) => secret.length >= 8);
  const text = (value: string): string =>
    SECRET_TEXT.some((pattern) => pattern.test(value)) || known.some((secret) => value.includes(secret))
      ? REDACTED
      : value;
  const walk = (value: unknown): unknown => {
    if (typeof value === 'string') return text(value);
    if (Array.isArray(value)) return value.map(walk);
    if (value !== null && typeof value === 'object') {
      return Object.fromEntries(
        Object.entries(value).map(([key, inner]) => [key, SECRET_KEYS.has(key.toLowerCase()) ? REDACTED : walk(inner)]),
      );
    }
    return value;
  };
  return { value: <T>(value: T) => walk(value) as T, text };
}
