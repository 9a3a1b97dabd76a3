/**
 * The Hub's side of the authorization-code flow: PKCE material, redeeming a
 * code at the provider's token endpoint, and verifying the ID token it returns
 * (signature against the provider's JWKS, issuer, audience, nonce, expiry).
 */
import { createHash, randomBytes } from 'node:crypto';
import { createRemoteJWKSet, jwtVerify } from 'jose';
import { unauthorized } from '../shared/http-error.ts';
import { discover } from './oidc-discovery.ts';

const TOKEN_DEADLINE_MS = 5_000;
const ALGORITHMS = ['RS256', 'RS384', 'RS512', 'PS256', 'ES256', 'ES384', 'EdDSA'];

export interface ProviderSettings {
  readonly issuer: string;
  readonly client_id: string;
  readonly token_endpoint: string;
  readonly jwks_uri: string;
}

export const randomHex = (bytes = 16): string => randomBytes(bytes).toString('hex');

export function pkcePair(): { verifier: string; challenge: string } {
  const verifier = randomBytes(32).toString('base64url');
  return { verifier, challenge: createHash('sha256').update(verifier).digest('base64url') };
}

/** POSTs the code with the PKCE verifier and client_secret_basic; any failure is a 401. */
export async function redeemCode(
  provider: ProviderSettings,
  secret: string,
  code: string,
  verifier: string,
  callbackUrl: string,
): Promise<string> {
  const basic = Buffer.from(`${encodeURIComponent(provider.client_id)}:${encodeURIComponent(secret)}`).toString(
    'base64',
  );
  let body: Record<string, unknown>;
  try {
    const response = await fetch(provider.token_endpoint, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        accept: 'application/json',
        authorization: `Basic ${basic}`,
      },
      body: new URLSearchParams({
        grant_type: 'authorization_code',
        code,
        redirect_uri: callbackUrl,
        code_verifier: verifier,
      }),
      redirect: 'error',
      signal: AbortSignal.timeout(TOKEN_DEADLINE_MS),
    });
    body = (await response.json()) as Record<string, unknown>;
    if (!response.ok) throw new Error(String(body.error ?? response.status));
  } catch {
    throw unauthorized('token exchange failed');
  }
  if (typeof body.id_token !== 'string') throw unauthorized('token exchange failed: no id_token');
  return body.id_token;
}

const keySets = new Map<string, ReturnType<typeof createRemoteJWKSet>>();

function keySetOf(jwksUri: string): ReturnType<typeof createRemoteJWKSet> {
  let keys = keySets.get(jwksUri);
  if (!keys) {
    keys = createRemoteJWKSet(new URL(jwksUri), { timeoutDuration: TOKEN_DEADLINE_MS });
    keySets.set(jwksUri, keys);
  }
  return keys;
}

/** The provider's JWKS URL: as registered, or from its discovery document when it was registered with explicit endpoints only. */
async function jwksUriOf(provider: ProviderSettings): Promise<string> {
  return provider.jwks_uri !== '' ? provider.jwks_uri : (await discover(provider.issuer)).jwks_uri;
}

/** The verified provider subject, or 401 `invalid id token`. */
export async function verifyIdToken(provider: ProviderSettings, idToken: string, nonce: string): Promise<string> {
  try {
    const { payload } = await jwtVerify(idToken, keySetOf(await jwksUriOf(provider)), {
      issuer: provider.issuer,
      audience: provider.client_id,
      algorithms: ALGORITHMS,
      requiredClaims: ['sub', 'exp', 'iat'],
      clockTolerance: 5,
    });
    if (payload.nonce !== nonce) throw new Error('nonce mismatch');
    if (typeof payload.sub !== 'string' || payload.sub === '') throw new Error('no subject');
    return payload.sub;
  } catch {
    throw unauthorized('invalid id token');
  }
}
