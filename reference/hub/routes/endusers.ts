/** End users of a project/env: signup and login return a PASETO access token and set the access cookie. */
import type { Context } from 'hono';
import { accessCookieName } from '../../shared/contract.ts';
import { deriveAccessKeys, issueAccessToken } from '../../shared/tokens.ts';
import { hashSecret, newId, unknownAccountHash, verifySecret } from '../crypto.ts';
import type { HubConfig } from '../config.ts';
import type { HubApp, HubDeps } from '../deps.ts';
import { badRequest, conflict, unauthorized } from '../../shared/http-error.ts';
import { name, readBody, str } from '../http.ts';
import { requireEnv } from './lookup.ts';

/** An access token's life (auth-credentials.md): 1 hour. */
export const ACCESS_TTL_SECONDS = 3600;
const ROLES = ['authenticated', 'reader'];

export interface EndUserSession {
  readonly access_token: string;
  readonly sub: string;
  readonly expires_in: number;
}

/**
 * A new access token for the end user, and the `stk_access_<project>_<env>` cookie on the response (AUTH-001;
 * OIDC login reuses it). `ttlSeconds` is the token's life; only the Hub's test mode asks for another than 1 hour.
 */
export function issueEndUserSession(
  c: Context,
  config: HubConfig,
  project: string,
  env: string,
  user: { readonly sub: string; readonly roles: readonly string[] },
  ttlSeconds = ACCESS_TTL_SECONDS,
): EndUserSession {
  const [key] = deriveAccessKeys(config.pasetoKeys, project, env);
  if (!key) throw new Error('no signing key');
  const { sub, roles } = user;
  const token = issueAccessToken(key, { sub, roles: [...roles], project, env, ttlSeconds });
  const maxAge = Math.max(0, Math.floor(ttlSeconds));
  const secure =
    new URL(c.req.url).protocol === 'https:' || c.req.header('x-forwarded-proto') === 'https' ? '; Secure' : '';
  c.header(
    'Set-Cookie',
    `${accessCookieName(project, env)}=${token}; Path=/; HttpOnly; SameSite=Lax; Max-Age=${maxAge}${secure}`,
  );
  return { access_token: token, sub, expires_in: maxAge };
}

export interface EndUserLogin {
  readonly project: string;
  readonly env: string;
  readonly sub: string;
  readonly roles: string[];
}

/** The end user a login body names, or 401 `invalid credentials` (unknown email and wrong password alike). */
export async function checkEndUserLogin(
  { store, config }: Pick<HubDeps, 'store' | 'config'>,
  body: Record<string, unknown>,
): Promise<EndUserLogin> {
  const project = name(body, 'project');
  const env = name(body, 'env');
  const [email, password] = [str(body, 'email'), str(body, 'password')];
  const rows = await store.query<{ sub: string; password_hash: string; roles: string[] }>(
    `SELECT sub, password_hash, roles FROM hub_end_users WHERE project = $1 AND env = $2 AND email = $3`,
    [project, env, email],
  );
  const user = rows[0];
  // Unknown email and wrong password cost the same scrypt and give the same answer.
  const matches = await verifySecret(password, user?.password_hash ?? unknownAccountHash(config.passwordCost));
  if (!user || !matches) throw unauthorized('invalid credentials');
  return { project, env, sub: user.sub, roles: user.roles };
}

export function registerEndUserRoutes(app: HubApp, deps: HubDeps): void {
  const { store, config } = deps;

  const session = (c: Context, project: string, env: string, sub: string, roles: string[]) =>
    c.json(issueEndUserSession(c, config, project, env, { sub, roles }));

  const credentials = async (c: Context) => {
    const body = await readBody(c);
    const project = name(body, 'project');
    const env = name(body, 'env');
    return { project, env, email: str(body, 'email'), password: str(body, 'password') };
  };

  app.post('/api/endusers/signup', async (c) => {
    const { project, env, email, password } = await credentials(c);
    if (!email.includes('@')) throw badRequest('email must contain @');
    // No length rule: Santokit's documents set none (AUTH-001 signs up with a 6-character password); `str` refuses an empty one.
    await requireEnv(store, project, env);
    const sub = newId();
    const rows = await store.query(
      `INSERT INTO hub_end_users (project, env, email, sub, password_hash, roles) VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT DO NOTHING RETURNING sub`,
      [project, env, email, sub, await hashSecret(password, config.passwordCost), JSON.stringify(ROLES)],
    );
    if (rows.length === 0) throw conflict('end user already exists');
    return session(c, project, env, sub, ROLES);
  });

  app.post('/api/endusers/login', async (c) => {
    const user = await checkEndUserLogin(deps, await readBody(c));
    return session(c, user.project, user.env, user.sub, user.roles);
  });
}
