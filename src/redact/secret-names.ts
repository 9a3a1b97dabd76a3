/**
 * Which field, header, query-parameter and variable names hold secrets.
 * Names are compared without case and without `_`, `-` or `.`, so
 * `api_key`, `apiKey`, `X-Santokit-Api-Key` and `STK_SERVICE_TOKEN` all match.
 */

const EXACT = new Set([
  'password',
  'passwd',
  'pwd',
  'secret',
  'token',
  'apikey',
  'authorization',
  'cookie',
  'setcookie',
  'codeverifier',
  'credentials',
]);

const SUFFIXES = [
  'password',
  'passwd',
  'secret',
  'token',
  'apikey',
  'privatekey',
  'secretkey',
  'signingkey',
  'pasetokeys',
  'authorization',
  'sessionid',
  'secretaccesskey',
  'signature',
];

export function normalizeName(name: string): string {
  return name.toLowerCase().replace(/[^a-z0-9]/g, '');
}

export function isSecretName(name: string): boolean {
  const normal = normalizeName(name);
  if (normal === '') return false;
  return EXACT.has(normal) || SUFFIXES.some((suffix) => normal.endsWith(suffix));
}

/** Cookie headers hold `name=value` pairs: the names stay readable, the values go. */
export function cookieKind(name: string): 'cookie' | 'set-cookie' | undefined {
  const normal = normalizeName(name);
  if (normal === 'cookie') return 'cookie';
  if (normal === 'setcookie') return 'set-cookie';
  return undefined;
}
