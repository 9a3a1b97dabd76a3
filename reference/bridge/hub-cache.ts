/**
 * What the Bridge remembers of the Hub, and for how long.
 *
 * - Releases and token keys: fresh for `ttlMs` (BRIDGE_CACHE_TTL_MS). Past
 *   it the Hub is asked again; while it is unavailable the last good answer
 *   is served until `staleMs` (BRIDGE_STALE_IF_ERROR_MS) after it was
 *   fetched, then 503 SERVICE_UNAVAILABLE.
 * - API-key verdicts: fresh for `ttlMs` only, never served stale, so a
 *   revocation takes effect within `ttlMs` even while the Hub is down.
 * - Concurrent misses for one key share one Hub request.
 */
import { createHash } from 'node:crypto';
import { BRIDGE_CACHE_TTL_MS, BRIDGE_STALE_IF_ERROR_MS, type ApiKeyVerifyResponse, type ReleasePayload } from '../shared/contract.ts';
import { unavailable } from './errors.ts';
import { HubUnavailable, type HubClient, type SigningKey } from './hub-client.ts';

export interface CacheOptions {
  readonly ttlMs?: number;
  readonly staleMs?: number;
  readonly now?: () => number;
  /** Per kind of entry; the oldest entries are dropped past it. */
  readonly maxEntries?: number;
  /** Called with every database URL of the cached releases whenever that set changes. */
  readonly onUrlsChanged?: (urls: ReadonlySet<string>) => void;
}

export interface CachedHub {
  release(project: string, env: string): Promise<ReleasePayload | undefined>;
  releaseById(releaseId: string): Promise<ReleasePayload | undefined>;
  keys(project: string, env: string): Promise<readonly SigningKey[]>;
  verifyApiKey(keyId: string, secret: string): Promise<ApiKeyVerifyResponse>;
  /** The Hub answers now, or a cached release is still within the stale bound. */
  ready(): Promise<boolean>;
}

interface Entry<T> {
  readonly value: T;
  readonly at: number;
}

class Slots<T> {
  readonly entries = new Map<string, Entry<T>>();
  private readonly pending = new Map<string, Promise<T>>();
  private readonly ttl: number;
  private readonly stale: number;
  private readonly now: () => number;
  private readonly max: number;
  private readonly onSet: () => void;

  constructor(options: { ttl: number; stale: number; now: () => number; max: number; onSet?: () => void }) {
    this.ttl = options.ttl;
    this.stale = options.stale;
    this.now = options.now;
    this.max = options.max;
    this.onSet = options.onSet ?? (() => undefined);
  }

  private set(key: string, value: T): void {
    this.entries.delete(key);
    this.entries.set(key, { value, at: this.now() });
    if (this.entries.size > this.max) this.entries.delete(this.entries.keys().next().value as string);
    this.onSet();
  }

  /** Within `stale` of the last good answer (`staleMs` for this kind). */
  usable(entry: Entry<T>): boolean {
    return this.now() - entry.at < this.stale;
  }

  async get(key: string, load: () => Promise<T>, what: string): Promise<T> {
    const entry = this.entries.get(key);
    if (entry && this.now() - entry.at < this.ttl) return entry.value;
    let pending = this.pending.get(key);
    if (!pending) {
      pending = load()
        .then((value) => {
          this.set(key, value);
          return value;
        })
        .finally(() => this.pending.delete(key));
      this.pending.set(key, pending);
    }
    try {
      return await pending;
    } catch (error) {
      if (!(error instanceof HubUnavailable)) throw error;
      if (entry && this.usable(entry)) return entry.value;
      throw unavailable(`hub unavailable and no usable cached ${what}`);
    }
  }
}

export function createCachedHub(hub: HubClient, options: CacheOptions = {}): CachedHub {
  const ttl = options.ttlMs ?? BRIDGE_CACHE_TTL_MS;
  const stale = Math.max(ttl, options.staleMs ?? BRIDGE_STALE_IF_ERROR_MS);
  const now = options.now ?? Date.now;
  const max = options.maxEntries ?? 10_000;
  let urls = new Set<string>();
  const releases: Slots<ReleasePayload | undefined> = new Slots({ ttl, stale, now, max, onSet: () => publishUrls() });
  const byId = new Slots<ReleasePayload | undefined>({ ttl, stale, now, max: 100 });
  const keys = new Slots<readonly SigningKey[]>({ ttl, stale, now, max });
  const verdicts = new Slots<ApiKeyVerifyResponse>({ ttl, stale: ttl, now, max });

  function publishUrls(): void {
    const next = new Set<string>();
    for (const { value } of releases.entries.values()) for (const connection of Object.values(value?.connections ?? {})) next.add(connection.db_url);
    if (next.size === urls.size && [...next].every((url) => urls.has(url))) return;
    urls = next;
    options.onUrlsChanged?.(next);
  }

  return {
    release: (project, env) => releases.get(JSON.stringify([project, env]), () => hub.currentRelease(project, env), 'release'),
    releaseById: (releaseId) => byId.get(releaseId, () => hub.releaseById(releaseId), 'release'),
    keys: (project, env) => keys.get(JSON.stringify([project, env]), () => hub.signingKeys(project, env), 'token keys'),
    verifyApiKey: (keyId, secret) => {
      const slot = `${keyId}\u0000${createHash('sha256').update(secret).digest('base64url')}`;
      return verdicts.get(slot, () => hub.verifyApiKey(keyId, secret), 'API key verdict');
    },
    async ready() {
      if (await hub.ping()) return true;
      return [...releases.entries.values()].some((entry) => entry.value !== undefined && releases.usable(entry));
    },
  };
}
