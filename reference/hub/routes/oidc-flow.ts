/**
 * OIDC login and account linking (AUTH-004): `/oidc/{provider}/start` sends
 * the browser to the provider with state, nonce and PKCE; `/callback` redeems
 * the code, verifies the ID token and hands the app a one-time exchange code;
 * `/exchange` links the provider identity or logs the linked end user in.
 * States live 10 minutes, exchange codes 5; both work once.
 */
import type { Context } from 'hono';
import { getCookie } from 'hono/cookie';
import { accessCookieName } from '../../shared/contract.ts';
import { badRequest, conflict, notFound, unauthorized } from '../../shared/http-error.ts';
import { deriveAccessKeys, verifyAccessToken } from '../../shared/tokens.ts';
import type { HubConfig } from '../config.ts';
import type { HubApp, HubDeps } from '../deps.ts';
import { queryParam, readBody, str } from '../http.ts';
import { pkcePair, randomHex, redeemCode, verifyIdToken } from '../oidc-tokens.ts';
import type { Store } from '../store.ts';
import { issueEndUserSession } from './endusers.ts';

const STATE_TTL_MS = 10 * 60_000;
const EXCHANGE_TTL_MS = 5 * 60_000;
const NEED_SESSION = 'active session required for account linking';

interface ProviderRow extends Record<string, unknown> {
  readonly issuer: string;
  readonly client_id: string;
  readonly sealed_client_secret: string;
  readonly redirect_uris: string[];
  readonly authorization_endpoint: string;
  readonly token_endpoint: string;
  readonly jwks_uri: string;
}

interface StateRow extends Record<string, unknown> {
  readonly project: string;
  readonly env: string;
  readonly mode: 'login' | 'link';
  readonly sub: string | null;
  readonly redirect_uri: string;
  readonly callback_url: string;
  readonly nonce: string;
  readonly code_verifier: string;
  readonly exchange_ttl_ms: number;
  readonly expired: boolean;
}

interface ExchangeRow extends Record<string, unknown> {
  readonly project: string;
  readonly env: string;
  readonly mode: 'login' | 'link';
  readonly sub: string | null;
  readonly subject: string;
}

async function providerOf(store: Store, project: string, env: string, name: string): Promise<ProviderRow | undefined> {
  const rows = await store.query<ProviderRow>(
    `SELECT * FROM hub_oidc_providers WHERE project = $1 AND env = $2 AND name = $3`,
    [project, env, name],
  );
  return rows[0];
}

/** The `sub` of a valid end-user token of project/env, from the bearer header or the access cookie. */
export function endUserSub(c: Context, config: HubConfig, project: string, env: string): string | undefined {
  const header = c.req.header('authorization') ?? '';
  const token = header.startsWith('Bearer ') ? header.slice(7).trim() : getCookie(c, accessCookieName(project, env));
  if (!token) return undefined;
  const verdict = verifyAccessToken(token, (p, e) => deriveAccessKeys(config.pasetoKeys, p, e));
  if (verdict.status !== 'valid' || verdict.footer.project !== project || verdict.footer.env !== env) return undefined;
  return verdict.claims.sub;
}

/**
 * In test mode only, `test_exchange_ttl_ms` and `test_state_ttl_ms` shorten the life of the exchange code
 * and of the state, so a scenario can see them expire; `lifetime` is the real one and the upper bound.
 */
function testTtl(c: Context, config: HubConfig, parameter: string, lifetime: number): number {
  const asked = c.req.query(parameter);
  if (asked === undefined) return lifetime;
  const value = Number(asked);
  if (!config.testMode || !Number.isInteger(value) || value < 0 || value > lifetime)
    throw badRequest(`${parameter} needs the Hub test mode and 0..${lifetime}`);
  return value;
}

function appendQuery(uri: string, name: string, value: string): string {
  return `${uri}${uri.includes('?') ? '&' : '?'}${name}=${encodeURIComponent(value)}`;
}

export function registerOidcFlowRoutes(app: HubApp, deps: HubDeps): void {
  const { store, config } = deps;

  app.get('/oidc/:provider/start', async (c) => {
    const mode = queryParam(c, 'mode');
    if (mode !== 'login' && mode !== 'link') throw badRequest('unsupported mode');
    const [project, env, redirectUri] = [queryParam(c, 'project'), queryParam(c, 'env'), queryParam(c, 'redirect_uri')];
    const name = c.req.param('provider');
    const provider = await providerOf(store, project, env, name);
    if (!provider) throw notFound('provider not found');
    if (!provider.redirect_uris.includes(redirectUri)) throw badRequest('redirect_uri not allowed');
    const sub = mode === 'link' ? endUserSub(c, config, project, env) : null;
    if (sub === undefined) throw unauthorized(NEED_SESSION);
    const ttl = testTtl(c, config, 'test_exchange_ttl_ms', EXCHANGE_TTL_MS);
    const stateTtl = testTtl(c, config, 'test_state_ttl_ms', STATE_TTL_MS);
    const state = `st_${randomHex()}`;
    const nonce = randomHex();
    const pkce = pkcePair();
    const callbackUrl = `${config.publicUrl ?? new URL(c.req.url).origin}/oidc/${encodeURIComponent(name)}/callback`;
    await store.query(
      `INSERT INTO hub_oidc_states (state, project, env, provider, mode, sub, redirect_uri, callback_url, nonce, code_verifier, exchange_ttl_ms, expires_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, now() + make_interval(secs => $12::double precision / 1000))`,
      [state, project, env, name, mode, sub, redirectUri, callbackUrl, nonce, pkce.verifier, ttl, stateTtl],
    );
    const target = new URL(provider.authorization_endpoint);
    const params = {
      response_type: 'code',
      client_id: provider.client_id,
      redirect_uri: callbackUrl,
      scope: 'openid email',
      state,
      nonce,
      code_challenge: pkce.challenge,
      code_challenge_method: 'S256',
    };
    for (const [key, value] of Object.entries(params)) target.searchParams.set(key, value);
    return c.body(null, 302, { Location: target.toString(), 'Cache-Control': 'no-store' });
  });

  app.get('/oidc/:provider/callback', async (c) => {
    const name = c.req.param('provider');
    // Consumed before anything else: a state works once, whatever happens next.
    const rows = await store.query<StateRow>(
      `DELETE FROM hub_oidc_states WHERE state = $1 AND provider = $2 RETURNING *, expires_at <= now() AS expired`,
      [c.req.query('state') ?? '', name],
    );
    const state = rows[0];
    if (!state || state.expired) throw badRequest('invalid state');
    const refused = c.req.query('error');
    if (refused !== undefined) throw unauthorized(`the provider refused the login: ${refused.slice(0, 100)}`);
    const code = c.req.query('code');
    if (!code) throw badRequest('missing code');
    const provider = await providerOf(store, state.project, state.env, name);
    if (!provider) throw badRequest('invalid state');
    const idToken = await redeemCode(
      provider,
      deps.sealer.open(provider.sealed_client_secret),
      code,
      state.code_verifier,
      state.callback_url,
    );
    const subject = await verifyIdToken(provider, idToken, state.nonce);
    const exchange = `ekc_${randomHex()}`;
    await store.query(
      `INSERT INTO hub_oidc_exchange_codes (code, project, env, provider, mode, sub, subject, expires_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, now() + make_interval(secs => $8::double precision / 1000))`,
      [exchange, state.project, state.env, name, state.mode, state.sub, subject, state.exchange_ttl_ms],
    );
    return c.body(null, 302, {
      Location: appendQuery(state.redirect_uri, 'exchange_code', exchange),
      'Cache-Control': 'no-store',
    });
  });

  app.post('/oidc/:provider/exchange', async (c) => {
    const code = str(await readBody(c), 'exchange_code');
    const name = c.req.param('provider');
    const outcome = await store.transaction((query) => redeemExchange(query, c, config, name, code));
    if (outcome.mode === 'link') return c.json({ linked: true, provider: name });
    const session = issueEndUserSession(c, config, outcome.project, outcome.env, outcome);
    return c.json({
      access_token: session.access_token,
      sub: session.sub,
      provider: name,
      expires_in: session.expires_in,
    });
  });
}

interface ExchangeOutcome {
  readonly mode: 'login' | 'link';
  readonly project: string;
  readonly env: string;
  readonly sub: string;
  readonly roles: readonly string[];
}

/**
 * One exchange inside a transaction: the code row is locked, every refusal
 * throws (rolling back, so a 401 or 409 leaves the code usable), and only a
 * success marks it consumed.
 */
async function redeemExchange(
  query: Store['query'],
  c: Context,
  config: HubConfig,
  name: string,
  code: string,
): Promise<ExchangeOutcome> {
  const rows = await query<ExchangeRow>(
    `SELECT * FROM hub_oidc_exchange_codes WHERE code = $1 AND provider = $2 AND consumed_at IS NULL AND expires_at > now() FOR UPDATE`,
    [code, name],
  );
  const row = rows[0];
  if (!row) throw badRequest('invalid or expired exchange_code');
  const links = await query<{ sub: string }>(
    `SELECT sub FROM hub_oidc_links WHERE project = $1 AND env = $2 AND provider = $3 AND subject = $4`,
    [row.project, row.env, name, row.subject],
  );
  const linked = links[0]?.sub;
  if (row.mode === 'link') {
    const sub = endUserSub(c, config, row.project, row.env);
    if (sub === undefined || sub !== row.sub) throw unauthorized(NEED_SESSION);
    if (linked !== undefined && linked !== sub) throw conflict('provider subject already linked to another account');
    if (linked === undefined)
      await query(`INSERT INTO hub_oidc_links (project, env, provider, subject, sub) VALUES ($1, $2, $3, $4, $5)`, [
        row.project,
        row.env,
        name,
        row.subject,
        sub,
      ]);
  }
  const sub = linked ?? row.sub ?? '';
  const users = await query<{ roles: string[] }>(
    `SELECT roles FROM hub_end_users WHERE sub = $1 AND project = $2 AND env = $3`,
    [sub, row.project, row.env],
  );
  if (row.mode === 'login' && (linked === undefined || !users[0]))
    throw unauthorized('provider identity is not linked');
  await query(`UPDATE hub_oidc_exchange_codes SET consumed_at = now() WHERE code = $1`, [code]);
  return { mode: row.mode, project: row.project, env: row.env, sub, roles: users[0]?.roles ?? [] };
}
