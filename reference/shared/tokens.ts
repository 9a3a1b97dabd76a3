/**
 * End-user access tokens: PASETO v4.local, one symmetric key per
 * project/env derived from each `STK_PASETO_KEYS` secret (paseto-keys.ts).
 * The Hub issues them; the Bridge verifies them offline with the keys the
 * Hub publishes.
 */
import { hkdfSync } from 'node:crypto';
import { decrypt, encrypt } from 'paseto-ts/v4';
import type { AccessTokenClaims, AccessTokenFooter } from './contract.ts';
import type { SigningSecret } from './paseto-keys.ts';

/** A derived key: 32 bytes as base64url, the form `/internal/keys/...` publishes. */
export interface AccessKey {
  readonly kid: string;
  readonly key: string;
}

export function deriveAccessKey(secret: SigningSecret, project: string, env: string): AccessKey {
  const bytes = hkdfSync('sha256', secret.secret, 'santokit', `santokit access ${project}/${env}`, 32);
  return { kid: secret.kid, key: Buffer.from(bytes).toString('base64url') };
}

export function deriveAccessKeys(secrets: readonly SigningSecret[], project: string, env: string): AccessKey[] {
  return secrets.map((secret) => deriveAccessKey(secret, project, env));
}

function paserk(key: AccessKey): string {
  return `k4.local.${key.key}`;
}

export interface IssueOptions {
  readonly sub: string;
  readonly roles: readonly string[];
  readonly project: string;
  readonly env: string;
  readonly ttlSeconds: number;
  readonly now?: Date;
}

/** Encrypts with the first (signing) key; the footer names kid, project and env. */
export function issueAccessToken(signingKey: AccessKey, options: IssueOptions): string {
  const now = options.now ?? new Date();
  const claims: AccessTokenClaims = {
    sub: options.sub,
    roles: [...options.roles],
    projectId: options.project,
    envId: options.env,
    iat: now.toISOString(),
    exp: new Date(now.getTime() + options.ttlSeconds * 1000).toISOString(),
  };
  const footer: AccessTokenFooter = { kid: signingKey.kid, project: options.project, env: options.env };
  return encrypt(
    paserk(signingKey),
    { ...claims },
    { footer: { ...footer }, addIat: false, addExp: false, validatePayload: false },
  );
}

export type TokenVerdict =
  | { readonly status: 'valid'; readonly claims: AccessTokenClaims; readonly footer: AccessTokenFooter }
  | {
      readonly status: 'invalid';
      readonly reason: 'malformed' | 'unknown-key' | 'forged' | 'expired' | 'footer-mismatch';
    };

/** Reads the (authenticated, unencrypted) footer to learn which key set to use. */
export function readFooter(token: string): AccessTokenFooter | undefined {
  const parts = token.split('.');
  if (parts.length !== 4 || parts[0] !== 'v4' || parts[1] !== 'local') return undefined;
  try {
    const footer = JSON.parse(Buffer.from(parts[3] ?? '', 'base64url').toString('utf8')) as Partial<AccessTokenFooter>;
    if (typeof footer.kid !== 'string' || typeof footer.project !== 'string' || typeof footer.env !== 'string')
      return undefined;
    return { kid: footer.kid, project: footer.project, env: footer.env };
  } catch {
    return undefined;
  }
}

/** Verifies a token against the keys of the project/env its footer names. */
export function verifyAccessToken(
  token: string,
  keysFor: (project: string, env: string) => readonly AccessKey[],
  now = new Date(),
): TokenVerdict {
  const footer = readFooter(token);
  if (footer === undefined) return { status: 'invalid', reason: 'malformed' };
  const key = keysFor(footer.project, footer.env).find((candidate) => candidate.kid === footer.kid);
  if (key === undefined) return { status: 'invalid', reason: 'unknown-key' };
  let payload: Record<string, unknown>;
  try {
    payload = decrypt(paserk(key), token, { validatePayload: false }).payload;
  } catch {
    return { status: 'invalid', reason: 'forged' };
  }
  const claims = payload as unknown as AccessTokenClaims;
  if (
    claims.projectId !== footer.project ||
    claims.envId !== footer.env ||
    typeof claims.sub !== 'string' ||
    !Array.isArray(claims.roles)
  ) {
    return { status: 'invalid', reason: 'footer-mismatch' };
  }
  const expires = Date.parse(String(claims.exp));
  if (!Number.isFinite(expires) || expires <= now.getTime()) return { status: 'invalid', reason: 'expired' };
  return { status: 'valid', claims, footer };
}
