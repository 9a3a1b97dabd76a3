/**
 * The Bridge's view of the Hub: releases, signing keys and API-key verdicts,
 * cached for BRIDGE_CACHE_TTL_MS; past that, while the Hub is unreachable,
 * the last good release is served for BRIDGE_STALE_IF_ERROR_MS, then 503.
 */
import {
  BRIDGE_CACHE_TTL_MS,
  BRIDGE_STALE_IF_ERROR_MS,
  internalPaths,
  SERVICE_TOKEN_HEADER,
  type ApiKeyVerifyResponse,
  type ReleasePayload,
  type SigningKeysResponse,
} from '../shared/contract.ts';
import { HttpError } from '../shared/http-error.ts';

export interface HubClient {
  /** Undefined when the env has no current release. */
  currentRelease(project: string, env: string): Promise<ReleasePayload | undefined>;
  signingKeys(project: string, env: string): Promise<SigningKeysResponse['keys']>;
  verifyApiKey(keyId: string, secret: string): Promise<ApiKeyVerifyResponse>;
  /** True when the Hub answered recently. */
  reachable(): Promise<boolean>;
}

class HubUnavailable extends Error {}

export function createHttpHubClient(hubUrl: string, serviceToken: string): HubClient {
  const base = hubUrl.replace(/\/+$/, '');
  const call = async (path: string, body?: unknown): Promise<{ status: number; json: unknown }> => {
    let response: Response;
    try {
      response = await fetch(`${base}${path}`, {
        method: body === undefined ? 'GET' : 'POST',
        headers: { [SERVICE_TOKEN_HEADER]: serviceToken, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
        signal: AbortSignal.timeout(5_000),
      });
    } catch {
      throw new HubUnavailable('hub unreachable');
    }
    const json = (await response.json().catch(() => undefined)) as unknown;
    if (response.status >= 500 || response.status === 401) throw new HubUnavailable(`hub answered ${response.status}`);
    return { status: response.status, json };
  };
  return {
    async currentRelease(project, env) {
      const { status, json } = await call(internalPaths.currentRelease(project, env));
      return status === 404 ? undefined : (json as ReleasePayload);
    },
    async signingKeys(project, env) {
      const { status, json } = await call(internalPaths.signingKeys(project, env));
      return status === 404 ? [] : (json as SigningKeysResponse).keys;
    },
    async verifyApiKey(keyId, secret) {
      return (await call(internalPaths.verifyApiKey, { key_id: keyId, secret })).json as ApiKeyVerifyResponse;
    },
    async reachable() {
      try {
        await fetch(`${base}/healthz`, { signal: AbortSignal.timeout(2_000) });
        return true;
      } catch {
        return false;
      }
    },
  };
}

interface Entry<T> {
  value: T;
  fetchedAt: number;
}

/** Wraps a HubClient with the TTL and stale-if-error rules. */
export function withCache(hub: HubClient, now: () => number = Date.now): HubClient {
  const caches = new Map<string, Entry<unknown>>();
  const cached = async <T>(key: string, load: () => Promise<T>): Promise<T> => {
    const entry = caches.get(key) as Entry<T> | undefined;
    if (entry && now() - entry.fetchedAt < BRIDGE_CACHE_TTL_MS) return entry.value;
    try {
      const value = await load();
      caches.set(key, { value, fetchedAt: now() });
      return value;
    } catch (error) {
      if (!(error instanceof HubUnavailable)) throw error;
      if (entry && now() - entry.fetchedAt < BRIDGE_STALE_IF_ERROR_MS) return entry.value;
      throw new HttpError('SERVICE_UNAVAILABLE', 'hub unavailable and no fresh release cached');
    }
  };
  return {
    currentRelease: (project, env) => cached(`release:${project}/${env}`, () => hub.currentRelease(project, env)),
    signingKeys: (project, env) => cached(`keys:${project}/${env}`, () => hub.signingKeys(project, env)),
    verifyApiKey: (keyId, secret) => cached(`key:${keyId}:${secret}`, () => hub.verifyApiKey(keyId, secret)),
    reachable: () => hub.reachable(),
  };
}
