/**
 * Who is calling `/call` (auth-credentials.md): exactly one credential, the
 * first present of API key → `Authorization` → `stk_access_*` cookie →
 * anonymous. The chosen credential alone decides; it sets the project/env,
 * and hint headers naming another one are 403 before any release is read.
 */
import { accessCookieName } from '../shared/contract.ts';
import { readFooter, verifyAccessToken } from '../shared/tokens.ts';
import { badRequest, forbidden, unauthorized } from './errors.ts';
import type { CachedHub } from './hub-cache.ts';

export interface Caller {
  readonly project: string;
  readonly env: string;
  readonly roles: readonly string[];
  /** End user's `sub`, the API key id, or `""` when anonymous. */
  readonly sub: string;
  readonly kind: 'api-key' | 'bearer' | 'cookie' | 'anonymous';
}

export type Headers = (name: string) => string | undefined;

interface Hints {
  readonly project: string;
  readonly env: string;
}

function readHints(header: Headers): Hints | undefined {
  const project = header('x-santokit-project');
  const env = header('x-santokit-env');
  if ((project === undefined) !== (env === undefined))
    throw badRequest('send both X-Santokit-Project and X-Santokit-Env, or neither');
  return project === undefined || env === undefined ? undefined : { project, env };
}

function bindTo(caller: Caller, hints: Hints | undefined, what: string): Caller {
  if (hints && (hints.project !== caller.project || hints.env !== caller.env))
    throw forbidden(`${what} belongs to another project/env`);
  return caller;
}

/** A cookie name sent twice with different values: no one can tell which the caller meant. */
const AMBIGUOUS = Symbol('ambiguous');
type CookieValue = string | typeof AMBIGUOUS;

function accessCookies(header: Headers): [string, CookieValue][] {
  const found = new Map<string, CookieValue>();
  for (const part of (header('cookie') ?? '').split(';')) {
    const index = part.indexOf('=');
    const name = part.slice(0, index).trim();
    if (index <= 0 || !name.startsWith('stk_access_')) continue;
    const value = part
      .slice(index + 1)
      .trim()
      .replace(/^"(.*)"$/, '$1');
    const seen = found.get(name);
    found.set(name, seen === undefined || seen === value ? value : AMBIGUOUS);
  }
  return [...found];
}

async function fromToken(hub: CachedHub, token: string, kind: 'bearer' | 'cookie'): Promise<Caller> {
  const footer = readFooter(token);
  if (!footer) throw unauthorized('invalid access token');
  const keys = await hub.keys(footer.project, footer.env);
  const verdict = verifyAccessToken(token, () => keys);
  if (verdict.status !== 'valid')
    throw unauthorized(verdict.reason === 'expired' ? 'access token expired' : 'invalid access token');
  const { claims } = verdict;
  return {
    project: claims.projectId,
    env: claims.envId,
    roles: claims.roles.filter((role) => typeof role === 'string'),
    sub: claims.sub,
    kind,
  };
}

async function fromApiKey(hub: CachedHub, value: string): Promise<Caller> {
  const dot = value.indexOf('.');
  if (dot <= 0 || dot === value.length - 1) throw unauthorized('malformed API key: expected <key id>.<secret>');
  const verdict = await hub.verifyApiKey(value.slice(0, dot), value.slice(dot + 1));
  if (!verdict.valid) throw unauthorized('invalid API key');
  const { key } = verdict;
  return {
    project: key.project_name,
    env: key.env_name,
    roles: key.roles.filter((role) => typeof role === 'string'),
    sub: key.id,
    kind: 'api-key',
  };
}

async function fromCookies(
  hub: CachedHub,
  cookies: [string, CookieValue][],
  hints: Hints | undefined,
): Promise<Caller | undefined> {
  let chosen: [string, CookieValue] | undefined;
  if (hints) chosen = cookies.find(([name]) => name === accessCookieName(hints.project, hints.env));
  else if (cookies.length > 1)
    throw unauthorized('several access cookies: send X-Santokit-Project and X-Santokit-Env to choose one');
  else chosen = cookies[0];
  if (!chosen) return undefined;
  // A browser sends two cookies of one name when a parent domain or path set one too (RFC 6265 §5.4):
  // either could be the caller's, and one may be planted, so neither is used.
  if (chosen[1] === AMBIGUOUS) throw unauthorized(`two ${chosen[0]} cookies with different values: send one`);
  const caller = await fromToken(hub, chosen[1], 'cookie');
  if (accessCookieName(caller.project, caller.env) !== chosen[0])
    throw forbidden('access cookie holds a token of another project/env');
  return caller;
}

export async function resolveCaller(header: Headers, hub: CachedHub): Promise<Caller> {
  const hints = readHints(header);
  const apiKey = header('x-santokit-api-key');
  if (apiKey !== undefined && apiKey !== '') return bindTo(await fromApiKey(hub, apiKey), hints, 'API key');
  const authorization = header('authorization');
  if (authorization !== undefined) {
    const match = /^Bearer +(\S+)\s*$/i.exec(authorization);
    if (!match?.[1]) throw unauthorized('Authorization must be "Bearer <access token>"');
    return bindTo(await fromToken(hub, match[1], 'bearer'), hints, 'access token');
  }
  const cookies = accessCookies(header);
  const fromCookie = cookies.length > 0 ? await fromCookies(hub, cookies, hints) : undefined;
  if (fromCookie) return bindTo(fromCookie, hints, 'access cookie');
  // No credential at all: the caller is unknown (final.md: no API key and no token → 401), and with no
  // hints there is not even a project to look for a public logic in; there is no fallback release.
  if (!hints)
    throw unauthorized(
      'no credential: send an API key or an access token (a public logic also needs X-Santokit-Project and X-Santokit-Env)',
    );
  return { project: hints.project, env: hints.env, roles: [], sub: '', kind: 'anonymous' };
}
