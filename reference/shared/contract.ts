/**
 * The internal contract between the reference Hub and the reference Bridge.
 * Both sides import these types and constants; nothing else is shared.
 *
 * Wire shapes follow upstream's `/internal/*` routes where they exist
 * (release payload, API-key verification) and the PLAN protocol where
 * upstream has nothing (signing keys, release by id, service token).
 */

/**
 * Header carrying the shared service token on every `/internal/*` request,
 * as `Bearer <token>` (bridge-hub-protocol: `Authorization: Bearer <service_token>`).
 */
export const SERVICE_TOKEN_HEADER = 'authorization';

export function serviceTokenValue(token: string): string {
  return `Bearer ${token}`;
}

/** Env var holding the service token, read by both Hub and Bridge. */
export const SERVICE_TOKEN_ENV = 'STK_SERVICE_TOKEN';

/**
 * How long the Bridge may use a cached set of token keys before asking the
 * Hub again (keys rotate with overlap, so a short delay is harmless).
 * Releases and API-key verdicts are not bound by time: the Bridge keeps
 * them only while its invalidation stream from the Hub is live, and drops
 * them when the Hub says so (hub/events.ts), so a revocation, promote or
 * rollback is visible on the very next `/call` after the Hub answered.
 */
export const BRIDGE_CACHE_TTL_MS = 1_000;

/**
 * The longest a cached release or API-key verdict is kept even while the
 * invalidation stream is live: a backstop, not a visibility bound.
 */
export const BRIDGE_MAX_AGE_MS = 5 * 60_000;

/**
 * What a Hub write tells the Bridges to forget. `apikey`: the verdicts of
 * one key id; `release`: the current release (and its connections) of one
 * project/env; `keys`: the token keys of one project/env.
 */
export type InvalidationEvent =
  | { readonly scope: 'apikey'; readonly key_id: string }
  | { readonly scope: 'release'; readonly project: string; readonly env: string }
  | { readonly scope: 'keys'; readonly project: string; readonly env: string };

/** Lines of the `GET /internal/events` stream. */
export type EventLine =
  | { readonly type: 'hello'; readonly subscriber: string }
  | { readonly type: 'ping' }
  | ({ readonly type: 'invalidate'; readonly seq: number } & InvalidationEvent);

/**
 * Past the TTL, while the Hub is unreachable, the Bridge keeps serving the
 * last good release for at most this long; after that `/call` answers 503.
 */
export const BRIDGE_STALE_IF_ERROR_MS = 30_000;

export interface ConnectionEntry {
  readonly name: string;
  readonly engine: 'postgres';
  readonly db_url: string;
}

/** `GET /internal/releases/{project}/{env}/current` and `GET /internal/releases/{releaseId}`. */
export interface ReleasePayload {
  readonly release_id: string;
  readonly project: string;
  readonly env: string;
  /** Merged schema: `{ tables: { <table>: TableDef } }` (see upstream bridge.md §8). */
  readonly schema: { readonly tables: Readonly<Record<string, unknown>> };
  /** Parsed `config/permissions.yaml`: `{ tables: { <table>: { <op>: rule | rule[] } } }`. */
  readonly permissions: { readonly tables: Readonly<Record<string, unknown>> };
  readonly storage: Readonly<Record<string, unknown>>;
  /** Logic name (path under `logics/` without `.sql`) → raw file text with front-matter. */
  readonly logics: Readonly<Record<string, string>>;
  /** Connections of the requested project/env at read time, keyed by name. */
  readonly connections: Readonly<Record<string, ConnectionEntry>>;
}

/** `POST /internal/apikeys/verify` body. The header value splits at its first `.`. */
export interface ApiKeyVerifyRequest {
  readonly key_id: string;
  readonly secret: string;
}

export type ApiKeyVerifyResponse =
  | { readonly valid: false }
  | {
      readonly valid: true;
      readonly key: {
        readonly id: string;
        readonly project_id: string;
        readonly env_id: string;
        readonly project_name: string;
        readonly env_name: string;
        readonly roles: readonly string[];
      };
    };

/**
 * `GET /internal/keys/{project}/{env}`: the symmetric PASETO v4.local keys the
 * Bridge uses to verify end-user tokens of that project/env offline.
 * `key` is 32 bytes, base64url without padding. The first key signs new
 * tokens; all of them verify (rotation).
 */
export interface SigningKeysResponse {
  readonly project: string;
  readonly env: string;
  readonly keys: readonly { readonly kid: string; readonly key: string }[];
}

/**
 * Claims of an end-user access token (PASETO v4.local). The footer is JSON
 * `{ "kid", "project", "env" }`, so a verifier knows which key set to use
 * before it decrypts; the claims must then agree with the footer.
 */
export interface AccessTokenClaims {
  readonly sub: string;
  readonly roles: readonly string[];
  readonly projectId: string;
  readonly envId: string;
  /** RFC 3339 timestamps, as PASETO registers them. */
  readonly iat: string;
  readonly exp: string;
}

export interface AccessTokenFooter {
  readonly kid: string;
  readonly project: string;
  readonly env: string;
}

export const internalPaths = {
  currentRelease: (project: string, env: string) =>
    `/internal/releases/${encodeURIComponent(project)}/${encodeURIComponent(env)}/current`,
  releaseById: (releaseId: string) => `/internal/releases/${encodeURIComponent(releaseId)}`,
  signingKeys: (project: string, env: string) =>
    `/internal/keys/${encodeURIComponent(project)}/${encodeURIComponent(env)}`,
  verifyApiKey: '/internal/apikeys/verify',
  verifyToken: '/internal/tokens/verify',
  events: '/internal/events',
  eventsAck: '/internal/events/ack',
} as const;

/** Cookie that carries an end-user access token for one project/env. */
export function accessCookieName(project: string, env: string): string {
  return `stk_access_${project}_${env}`;
}
