/**
 * Secrets found by their shape or their name inside free text: a log line,
 * a request body, `stk` output, an error message. Each rule hands the secret
 * to `mask`, which returns the placeholder (and remembers the value, so the
 * same secret is caught wherever else it appears).
 */
import { cookieKind, isSecretName } from './secret-names.ts';

/** Replaces one secret; `kind` names what it is when the redactor does not know the value yet. */
export type Mask = (secret: string, kind: string) => string;

export const PLACEHOLDER_PREFIX = '[redacted:';

export function isPlaceholder(text: string): boolean {
  return text.startsWith(PLACEHOLDER_PREFIX);
}

export function kindOf(name: string): string {
  return (
    name
      .toLowerCase()
      .replace(/[^a-z0-9_-]/g, '')
      .slice(-32) || 'secret'
  );
}

// scheme://user:password@host: the password stops at the last `@` before the host.
const URL_USERINFO = /\b([a-z][a-z0-9+.-]*:\/\/[^\s:/?#@"'<>]*:)([^\s/?#"'<>]+)@/gi;
const JSON_FIELD = /"([^"\\\n]{1,64})"(\s*:\s*)"((?:[^"\\\n]|\\.)*)"/g;
const KEY_VALUE = /(?<![A-Za-z0-9_.-])([A-Za-z0-9_.-]{1,64})=([^\s&"'<>;,]+)/g;
const KEY_COLON = /(?<![A-Za-z0-9_.-])([A-Za-z][A-Za-z0-9_.-]{0,63}):[ \t]+([^\s"',;]{8,})/g;
// A labelled key in CLI output: `API Key (store securely): <key>` (stk apikey create) has a note between name and colon.
const LABELLED_KEY = /\b(api[ _-]?key(?:\s*\([^)\n]{0,40}\))?:[ \t]+)([^\s"',;]{8,})/gi;
const SCHEME_TOKEN = /\b(Bearer|Basic)\s+([A-Za-z0-9._~+/=-]{8,})/gi;
const PASETO = /\bv[1-4]\.(?:local|public)\.[A-Za-z0-9_-]{20,}(?:\.[A-Za-z0-9_-]+)?/g;
const JWT = /\beyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]*/g;

function decodeJsonString(raw: string): string {
  try {
    return JSON.parse(`"${raw}"`) as string;
  } catch {
    return raw;
  }
}

/** A field value under a secret name: cookies keep their names, credentials keep their scheme. */
export function redactNamedValue(name: string, value: string, mask: Mask): string {
  if (value === '' || isPlaceholder(value)) return value;
  const cookies = cookieKind(name);
  if (cookies) return redactCookies(value, cookies, mask);
  const scheme = /^([A-Za-z][A-Za-z0-9-]*)\s+(\S.*)$/.exec(value);
  if (scheme && /authorization$/i.test(name))
    return isPlaceholder(scheme[2] ?? '') ? value : `${scheme[1]} ${mask(scheme[2] ?? '', kindOf(name))}`;
  return mask(value, kindOf(name));
}

/** `a=1; b=2` (Cookie) or `sid=abc; Path=/; HttpOnly` (Set-Cookie: only the first pair is a value). */
function redactCookies(value: string, kind: 'cookie' | 'set-cookie', mask: Mask): string {
  const parts = value.split(/;\s*/);
  return parts
    .map((part, index) => {
      if (kind === 'set-cookie' && index > 0) return part;
      const equals = part.indexOf('=');
      if (equals < 0) return part;
      const cookieValue = part.slice(equals + 1);
      return cookieValue === '' || isPlaceholder(cookieValue)
        ? part
        : `${part.slice(0, equals)}=${mask(cookieValue, 'cookie')}`;
    })
    .join('; ');
}

/** A generated credential has digits or punctuation; a plain word ("API key: expected …") is prose. */
function tokenLike(token: string): boolean {
  return /[0-9_.~+/=-]/.test(token);
}

/** Whether the shape rules alone find every occurrence of `value`: a whole PASETO or JWT (no form of it differs). */
export function foundByShape(value: string): boolean {
  return [PASETO, JWT].some((shape) => value.match(shape)?.[0] === value);
}

/** Every shape- and name-based rule, in an order where an earlier rule never hides a later one's match. */
export function redactByRules(text: string, mask: Mask): string {
  let out = text.replace(URL_USERINFO, (_match, head: string, password: string) =>
    isPlaceholder(password) ? _match : `${head}${mask(password, 'url-password')}@`,
  );
  out = out.replace(JSON_FIELD, (match, key: string, separator: string, raw: string) => {
    if (!isSecretName(key) || raw === '' || isPlaceholder(raw)) return match;
    const redacted = redactNamedValue(key, decodeJsonString(raw), mask);
    return `"${key}"${separator}${JSON.stringify(redacted)}`;
  });
  out = out.replace(KEY_VALUE, (match, key: string, value: string) =>
    isSecretName(key) && !isPlaceholder(value) ? `${key}=${mask(value, kindOf(key))}` : match,
  );
  out = out.replace(KEY_COLON, (match, key: string, value: string) =>
    isSecretName(key) && !isPlaceholder(value) ? `${key}: ${redactNamedValue(key, value, mask)}` : match,
  );
  out = out.replace(LABELLED_KEY, (match, label: string, key: string) =>
    isPlaceholder(key) || !tokenLike(key) ? match : `${label}${mask(key, 'api_key')}`,
  );
  out = out.replace(SCHEME_TOKEN, (match, scheme: string, token: string) =>
    tokenLike(token) ? `${scheme} ${mask(token, 'credential')}` : match,
  );
  out = out.replace(PASETO, (token) => mask(token, 'paseto'));
  return out.replace(JWT, (token) => mask(token, 'jwt'));
}
