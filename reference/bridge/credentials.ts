/**
 * Who is calling `/call`: exactly one credential, in order API key → bearer →
 * `stk_access_<project>_<env>` cookie chosen by the hint headers.
 */
import type { Context } from 'hono';
import { accessCookieName } from '../shared/contract.ts';
import { HttpError, unauthorized, badRequest } from '../shared/http-error.ts';
import { verifyAccessToken } from '../shared/tokens.ts';
import type { HubClient } from './hub-client.ts';

export interface Caller {
  readonly project: string;
  readonly env: string;
  readonly roles: readonly string[];
  /** End-user subject; undefined for API keys and anonymous callers. */
  readonly sub: string | undefined;
  readonly kind: 'api-key' | 'bearer' | 'cookie' | 'anonymous';
}

function hints(c: Context): { project?: string; env?: string } {
  const project = c.req.header('x-santokit-project');
  const env = c.req.header('x-santokit-env');
  if ((project === undefined) !== (env === undefined)) throw badRequest('give both X-Santokit-Project and X-Santokit-Env, or neither');
  return project === undefined || env === undefined ? {} : { project, env };
}

function cookies(c: Context): Map<string, string> {
  const jar = new Map<string, string>();
  for (const part of (c.req.header('cookie') ?? '').split(';')) {
    const index = part.indexOf('=');
    if (index > 0) jar.set(part.slice(0, index).trim(), part.slice(index + 1).trim());
  }
  return jar;
}

/** A credential bound to another project/env than the hints name is refused before any permission check. */
function bind(caller: Caller, hint: { project?: string; env?: string }): Caller {
  if (hint.project !== undefined && (hint.project !== caller.project || hint.env !== caller.env)) {
    throw new HttpError('FORBIDDEN', 'credential is bound to another project/env');
  }
  return caller;
}

async function fromToken(hub: HubClient, token: string, kind: 'bearer' | 'cookie'): Promise<Caller> {
  const footer = token.split('.')[3];
  if (!footer) throw unauthorized('invalid access token');
  const keys = new Map<string, { kid: string; key: string }[]>();
  const verdictKeys = async (project: string, env: string) => {
    const list = await hub.signingKeys(project, env);
    keys.set(`${project}/${env}`, [...list]);
    return list;
  };
  let parsed: { project?: string; env?: string };
  try {
    parsed = JSON.parse(Buffer.from(footer, 'base64url').toString('utf8')) as { project?: string; env?: string };
  } catch {
    throw unauthorized('invalid access token');
  }
  if (typeof parsed.project !== 'string' || typeof parsed.env !== 'string') throw unauthorized('invalid access token');
  await verdictKeys(parsed.project, parsed.env);
  const verdict = verifyAccessToken(token, (project, env) => keys.get(`${project}/${env}`) ?? []);
  if (verdict.status !== 'valid') throw unauthorized(verdict.reason === 'expired' ? 'access token expired' : 'invalid access token');
  return { project: verdict.claims.projectId, env: verdict.claims.envId, roles: verdict.claims.roles, sub: verdict.claims.sub, kind };
}

export async function resolveCaller(c: Context, hub: HubClient): Promise<Caller> {
  const hint = hints(c);
  const apiKey = c.req.header('x-santokit-api-key');
  if (apiKey !== undefined) {
    const dot = apiKey.indexOf('.');
    const verdict = dot > 0 ? await hub.verifyApiKey(apiKey.slice(0, dot), apiKey.slice(dot + 1)) : { valid: false as const };
    if (!verdict.valid) throw unauthorized('invalid API key');
    return bind({ project: verdict.key.project_name, env: verdict.key.env_name, roles: verdict.key.roles, sub: undefined, kind: 'api-key' }, hint);
  }
  const authorization = c.req.header('authorization');
  if (authorization !== undefined) {
    if (!authorization.startsWith('Bearer ')) throw unauthorized('unsupported Authorization scheme: use Bearer');
    return bind(await fromToken(hub, authorization.slice(7).trim(), 'bearer'), hint);
  }
  const jar = [...cookies(c).entries()].filter(([name]) => name.startsWith('stk_access_'));
  if (jar.length > 0) {
    if (hint.project === undefined || hint.env === undefined) {
      if (jar.length > 1) throw unauthorized('several access cookies and no X-Santokit-Project/X-Santokit-Env hints');
    }
    const chosen = hint.project !== undefined && hint.env !== undefined ? jar.find(([name]) => name === accessCookieName(hint.project ?? '', hint.env ?? '')) : jar[0];
    if (!chosen) throw unauthorized('no access cookie for the hinted project/env');
    return bind(await fromToken(hub, chosen[1], 'cookie'), hint);
  }
  if (hint.project === undefined || hint.env === undefined) throw badRequest('anonymous calls need X-Santokit-Project and X-Santokit-Env');
  return { project: hint.project, env: hint.env, roles: ['public'], sub: undefined, kind: 'anonymous' };
}
