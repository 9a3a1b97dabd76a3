/**
 * The Bridge's view of the Hub's internal routes (shared/contract.ts). Every
 * request carries the service token. A Hub that cannot be reached, answers
 * 5xx/401, or sends a body that is not the contract's shape is
 * `HubUnavailable`; a 404 is an answer (no release, no such env).
 */
import {
  internalPaths,
  SERVICE_TOKEN_HEADER,
  serviceTokenValue,
  type ApiKeyVerifyResponse,
  type ReleasePayload,
  type SigningKeysResponse,
} from '../shared/contract.ts';

export type SigningKey = SigningKeysResponse['keys'][number];

/**
 * How long a Hub request may take before the Hub counts as unavailable:
 * `brief` when a cached answer can stand in for a slow Hub (bridge-hub-protocol:
 * serve the last good release through an outage), `full` when nothing can and
 * a slow answer is still better than a 503 (default).
 */
export type HubPatience = 'brief' | 'full';

export interface HubClient {
  /** The env's current release; undefined when the Hub says 404. */
  currentRelease(project: string, env: string, patience?: HubPatience): Promise<ReleasePayload | undefined>;
  releaseById(releaseId: string, patience?: HubPatience): Promise<ReleasePayload | undefined>;
  /** Token keys of the env; empty when the Hub says 404 (no such env). */
  signingKeys(project: string, env: string, patience?: HubPatience): Promise<readonly SigningKey[]>;
  verifyApiKey(keyId: string, secret: string, patience?: HubPatience): Promise<ApiKeyVerifyResponse>;
  /** Whether the Hub answers its liveness route now. */
  ping(): Promise<boolean>;
}

export class HubUnavailable extends Error {}

const TIMEOUT_MS: Readonly<Record<HubPatience, number>> = { brief: 5_000, full: 30_000 };

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function asRelease(json: unknown): ReleasePayload {
  if (
    !isObject(json) ||
    typeof json.release_id !== 'string' ||
    !isObject(json.connections) ||
    !isObject(json.logics) ||
    !isObject(json.schema)
  ) {
    throw new HubUnavailable('invalid release payload');
  }
  return json as unknown as ReleasePayload;
}

function asKeys(json: unknown): readonly SigningKey[] {
  const keys = isObject(json) ? json.keys : undefined;
  if (
    !Array.isArray(keys) ||
    !keys.every((key) => isObject(key) && typeof key.kid === 'string' && typeof key.key === 'string')
  ) {
    throw new HubUnavailable('invalid signing keys payload');
  }
  return keys as SigningKey[];
}

function asVerdict(json: unknown): ApiKeyVerifyResponse {
  if (!isObject(json) || typeof json.valid !== 'boolean') throw new HubUnavailable('invalid API key verdict');
  if (!json.valid) return { valid: false };
  const key = json.key;
  if (
    !isObject(key) ||
    typeof key.project_name !== 'string' ||
    typeof key.env_name !== 'string' ||
    !Array.isArray(key.roles)
  ) {
    throw new HubUnavailable('invalid API key verdict');
  }
  return json as unknown as ApiKeyVerifyResponse;
}

export function createHttpHubClient(hubUrl: string, serviceToken: string): HubClient {
  const base = hubUrl.replace(/\/+$/, '');
  const call = async (path: string, patience: HubPatience = 'full', body?: unknown): Promise<unknown> => {
    let response: Response;
    try {
      response = await fetch(`${base}${path}`, {
        method: body === undefined ? 'GET' : 'POST',
        headers: {
          [SERVICE_TOKEN_HEADER]: serviceTokenValue(serviceToken),
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
        signal: AbortSignal.timeout(TIMEOUT_MS[patience]),
      });
    } catch {
      throw new HubUnavailable('hub unreachable');
    }
    if (response.status === 404) {
      await response.body?.cancel();
      return undefined;
    }
    if (!response.ok) {
      await response.body?.cancel();
      throw new HubUnavailable(`hub answered ${response.status}`);
    }
    return response.json().catch(() => {
      throw new HubUnavailable('hub sent a body that is not JSON');
    });
  };
  const optional = <T>(json: unknown, read: (json: unknown) => T) => (json === undefined ? undefined : read(json));
  return {
    currentRelease: async (project, env, patience) =>
      optional(await call(internalPaths.currentRelease(project, env), patience), asRelease),
    releaseById: async (releaseId, patience) =>
      optional(await call(internalPaths.releaseById(releaseId), patience), asRelease),
    signingKeys: async (project, env, patience) =>
      optional(await call(internalPaths.signingKeys(project, env), patience), asKeys) ?? [],
    verifyApiKey: async (keyId, secret, patience) => {
      const json = await call(internalPaths.verifyApiKey, patience, { key_id: keyId, secret });
      if (json === undefined) throw new HubUnavailable('hub has no API key verification route');
      return asVerdict(json);
    },
    ping: async () => {
      try {
        const response = await fetch(`${base}/healthz`, { signal: AbortSignal.timeout(2_000) });
        await response.body?.cancel();
        return response.ok;
      } catch {
        return false;
      }
    },
  };
}
