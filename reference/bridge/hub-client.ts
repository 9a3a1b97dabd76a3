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

export interface HubClient {
  /** The env's current release; undefined when the Hub says 404. */
  currentRelease(project: string, env: string): Promise<ReleasePayload | undefined>;
  releaseById(releaseId: string): Promise<ReleasePayload | undefined>;
  /** Token keys of the env; empty when the Hub says 404 (no such env). */
  signingKeys(project: string, env: string): Promise<readonly SigningKey[]>;
  verifyApiKey(keyId: string, secret: string): Promise<ApiKeyVerifyResponse>;
  /** Whether the Hub answers its liveness route now. */
  ping(): Promise<boolean>;
}

export class HubUnavailable extends Error {}

const TIMEOUT_MS = 5_000;

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
  const call = async (path: string, body?: unknown): Promise<unknown> => {
    let response: Response;
    try {
      response = await fetch(`${base}${path}`, {
        method: body === undefined ? 'GET' : 'POST',
        headers: {
          [SERVICE_TOKEN_HEADER]: serviceTokenValue(serviceToken),
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
        signal: AbortSignal.timeout(TIMEOUT_MS),
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
    currentRelease: async (project, env) => optional(await call(internalPaths.currentRelease(project, env)), asRelease),
    releaseById: async (releaseId) => optional(await call(internalPaths.releaseById(releaseId)), asRelease),
    signingKeys: async (project, env) => optional(await call(internalPaths.signingKeys(project, env)), asKeys) ?? [],
    verifyApiKey: async (keyId, secret) => {
      const json = await call(internalPaths.verifyApiKey, { key_id: keyId, secret });
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
