/**
 * The test identity provider: a real OpenID Connect provider (`oidc-provider`:
 * discovery, JWKS, authorization code with PKCE S256, RS256-signed ID tokens)
 * whose login step is plain HTTP — POST the seeded user's email and password
 * to the interaction — and whose consent is granted automatically.
 */
import { randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { decodeJwt, decodeProtectedHeader, exportJWK, generateKeyPair, SignJWT, type CryptoKey } from 'jose';
import Provider, { type Account, type Configuration, type Grant, type ProviderContext } from 'oidc-provider';
import type { IdpClient, IdpConfig, IdpUser } from './config.ts';
import { loginPage, readForm, sendJson } from './http.ts';

export interface Idp {
  readonly issuer: string;
  /** The node:http request listener. */
  readonly handle: (request: IncomingMessage, response: ServerResponse) => void;
}

const INTERACTION = /^\/interaction\/([A-Za-z0-9_-]+)(\/login)?$/;

/** `*` matches any run of characters other than `/`; everything else literally. */
export function redirectPattern(pattern: string): RegExp {
  const body = pattern
    .split('*')
    .map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
    .join('[^/]*');
  return new RegExp(`^${body}$`);
}

function accountOf(user: IdpUser): Account {
  return { accountId: user.sub, claims: async () => ({ sub: user.sub, email: user.email, email_verified: true }) };
}

async function signingKey(): Promise<{ jwk: Record<string, unknown>; key: CryptoKey; kid: string }> {
  const { privateKey } = await generateKeyPair('RS256', { extractable: true });
  const kid = `idp-${randomBytes(6).toString('hex')}`;
  return { jwk: { ...(await exportJWK(privateKey)), kid, alg: 'RS256', use: 'sig' }, key: privateKey, kid };
}

/** Re-signs the ID token of a client seeded with `id_token_audience` so it names that audience. */
function misaudience(clients: readonly IdpClient[], key: CryptoKey, kid: string) {
  return async (ctx: ProviderContext, next: () => Promise<void>) => {
    await next();
    const audience = clients.find((client) => client.client_id === ctx.oidc?.client?.clientId)?.id_token_audience;
    const body = ctx.body as { id_token?: unknown } | undefined;
    if (ctx.oidc?.route !== 'token' || audience === undefined || typeof body?.id_token !== 'string') return;
    const header = decodeProtectedHeader(body.id_token);
    const payload = { ...decodeJwt(body.id_token), aud: audience };
    ctx.body = {
      ...body,
      id_token: await new SignJWT(payload)
        .setProtectedHeader({ alg: header.alg ?? 'RS256', kid, typ: header.typ ?? 'JWT' })
        .sign(key),
    };
  };
}

/** The oidc-provider settings: seeded clients and users, PKCE required, code flow only, automatic consent. */
function configurationOf(config: IdpConfig, jwk: Record<string, unknown>): Configuration {
  const bySub = new Map(config.users.map((user) => [user.sub, user]));
  return {
    clients: config.clients.map((client) => ({
      client_id: client.client_id,
      client_secret: client.client_secret,
      // The real list may hold `*` patterns, which are not URLs; redirectUriAllowed (createIdp) checks it.
      redirect_uris: ['http://127.0.0.1/placeholder'],
      grant_types: ['authorization_code'],
      response_types: ['code'],
      token_endpoint_auth_method: 'client_secret_basic',
    })),
    findAccount: async (_ctx, id) => {
      const user = bySub.get(id);
      return user ? accountOf(user) : undefined;
    },
    claims: { openid: ['sub'], email: ['email', 'email_verified'] },
    scopes: ['openid', 'email', 'offline_access'],
    responseTypes: ['code'],
    features: { devInteractions: { enabled: false } },
    interactions: { url: (_ctx, interaction) => `/interaction/${interaction.uid}` },
    pkce: { required: () => true },
    cookies: { keys: [randomBytes(24).toString('base64url')] },
    jwks: { keys: [jwk] },
    ttl: { AuthorizationCode: 60, Interaction: 600, Session: 3600, Grant: 3600, AccessToken: 600, IdToken: 600 },
    renderError: (ctx, out) => {
      ctx.type = 'json';
      ctx.body = out;
    },
    loadExistingGrant: grantAutomatically,
  };
}

/** Seeded clients are trusted: consent is granted without a prompt. */
async function grantAutomatically(ctx: ProviderContext): Promise<Grant | undefined> {
  const oidc = ctx.oidc;
  if (!oidc?.client || !oidc.session.accountId) return undefined;
  const existing = oidc.result?.consent?.grantId ?? oidc.session.grantIdFor(oidc.client.clientId);
  if (existing) return oidc.provider.Grant.find(existing);
  const grant = new oidc.provider.Grant({ accountId: oidc.session.accountId, clientId: oidc.client.clientId });
  grant.addOIDCScope('openid email');
  await grant.save();
  return grant;
}

export async function createIdp(config: IdpConfig): Promise<Idp> {
  const { jwk, key, kid } = await signingKey();
  const provider = new Provider(config.issuer, configurationOf(config, jwk));
  const patterns = new Map(
    config.clients.map((client) => [client.client_id, client.redirect_uris.map(redirectPattern)]),
  );
  provider.Client.prototype.redirectUriAllowed = function (this: { clientId: string }, value: string): boolean {
    return (patterns.get(this.clientId) ?? []).some((pattern) => pattern.test(value));
  };
  provider.use(misaudience(config.clients, key, kid));
  const byEmail = new Map(config.users.map((user) => [user.email.toLowerCase(), user]));
  const oidc = provider.callback();
  const interact = createInteractionHandler(provider, byEmail);
  return {
    issuer: config.issuer,
    handle(request, response) {
      const path = (request.url ?? '/').split('?')[0] ?? '/';
      if (path === '/healthz') return sendJson(response, 200, { status: 'ok' });
      const match = INTERACTION.exec(path);
      if (match)
        return void interact(request, response, match[2] !== undefined).catch(() =>
          sendJson(response, 500, { error: 'server_error' }),
        );
      oidc(request, response);
    },
  };
}

function createInteractionHandler(provider: Provider, byEmail: ReadonlyMap<string, IdpUser>) {
  return async (request: IncomingMessage, response: ServerResponse, login: boolean): Promise<void> => {
    let details;
    try {
      details = await provider.interactionDetails(request, response);
    } catch {
      return sendJson(response, 400, {
        error: 'invalid_request',
        error_description: 'no interaction in progress (missing or expired cookie)',
      });
    }
    if (!login || request.method !== 'POST') {
      if (request.method !== 'GET') return sendJson(response, 405, { error: 'method_not_allowed' });
      return loginPage(request, response, details);
    }
    const form = await readForm(request);
    const user = byEmail.get(String(form.email ?? '').toLowerCase());
    if (!user || user.password !== form.password)
      return sendJson(response, 401, { error: 'access_denied', error_description: 'invalid email or password' });
    await provider.interactionFinished(
      request,
      response,
      { login: { accountId: user.sub } },
      { mergeWithLastSubmission: false },
    );
  };
}
