/**
 * What the Bridge remembers of the Hub, and when it forgets.
 *
 * Each kind follows the rule its document states:
 * - API-key verdicts (OPERATOR-002: a revoked key is refused on every later
 *   request) and current releases (OPERATOR-004/005: a new pointer is used
 *   by the next request) are kept only while the Hub's invalidation stream
 *   is live (`setLive(true)`, bridge/hub-events.ts), and dropped the moment
 *   an event names them. The Hub answers a revoke, apply, promote or
 *   rollback only after every live Bridge acknowledged the event, so no
 *   request that starts after that answer sees the old state. Without a
 *   live stream nothing of these two kinds is served from memory: every
 *   call asks the Hub. `maxAgeMs` is only a backstop.
 * - A release is still served past that while the Hub cannot be reached,
 *   until `staleMs` after it was fetched (bridge-hub-protocol: keep serving
 *   the last good release through a short outage); verdicts never are.
 *   Only then does a Hub request get a brief deadline; with nothing kept to
 *   stand in, a slow Hub is waited for (hub-client.ts `HubPatience`).
 * - Token keys (bridge-hub-protocol: pulled periodically, rotated with
 *   overlap) are fresh for `ttlMs` and dropped by a `keys` event.
 * - Concurrent misses for one entry share one Hub request; a load that was
 *   in flight when an event arrived is returned to its callers but never
 *   stored.
 */
import { createHash } from 'node:crypto';
import {
  BRIDGE_CACHE_TTL_MS,
  BRIDGE_MAX_AGE_MS,
  BRIDGE_STALE_IF_ERROR_MS,
  type ApiKeyVerifyResponse,
  type InvalidationEvent,
  type ReleasePayload,
} from '../shared/contract.ts';
import { unavailable } from './errors.ts';
import { HubUnavailable, type HubClient, type HubPatience, type SigningKey } from './hub-client.ts';

export interface CacheOptions {
  readonly ttlMs?: number;
  readonly staleMs?: number;
  readonly maxAgeMs?: number;
  readonly now?: () => number;
  /** Per kind of entry; the oldest entries are dropped past it. */
  readonly maxEntries?: number;
  /** Called with every database URL of the cached releases whenever that set changes. */
  readonly onUrlsChanged?: (urls: ReadonlySet<string>) => void;
}

export interface CachedHub {
  release(project: string, env: string): Promise<ReleasePayload | undefined>;
  keys(project: string, env: string): Promise<readonly SigningKey[]>;
  verifyApiKey(keyId: string, secret: string): Promise<ApiKeyVerifyResponse>;
  /** The Hub answers now, or a cached release is still within the stale bound. */
  ready(): Promise<boolean>;
  /** Forgets what the event names. */
  invalidate(event: InvalidationEvent): void;
  /** Whether the invalidation stream is live; either change forgets every release and verdict. */
  setLive(live: boolean): void;
  live(): boolean;
}

interface Entry<T> {
  readonly value: T;
  readonly at: number;
  /** The slots' generation when it was loaded; only entries of the current one are fresh. */
  readonly generation: number;
}

interface SlotOptions {
  /** How long an entry may be served without asking the Hub, right now (0: never). */
  readonly fresh: () => number;
  /** How long after it was fetched an entry may stand in for an unreachable Hub. */
  readonly stale: number;
  readonly now: () => number;
  readonly max: number;
  readonly onChange?: () => void;
}

/** Asks the Hub for one entry, waiting as long as `patience` says. */
type Load<T> = (patience: HubPatience) => Promise<T>;

class Slots<T> {
  readonly entries = new Map<string, Entry<T>>();
  private readonly pending = new Map<string, Promise<T>>();
  private generation = 0;
  private readonly options: SlotOptions;

  constructor(options: SlotOptions) {
    this.options = options;
  }

  private set(key: string, value: T, generation: number): void {
    this.entries.delete(key);
    this.entries.set(key, { value, at: this.options.now(), generation });
    if (this.entries.size > this.options.max) this.entries.delete(this.entries.keys().next().value as string);
    this.options.onChange?.();
  }

  usable(entry: Entry<T>): boolean {
    return this.options.now() - entry.at < this.options.stale;
  }

  private load(key: string, load: Load<T>, patience: HubPatience): Promise<T> {
    const generation = this.generation;
    const pending: Promise<T> = load(patience)
      .then((value) => {
        // Forgotten while in flight (the entry was invalidated, or everything was): answer, but do not keep.
        if (this.pending.get(key) === pending && generation === this.generation) this.set(key, value, generation);
        return value;
      })
      .finally(() => {
        if (this.pending.get(key) === pending) this.pending.delete(key);
      });
    this.pending.set(key, pending);
    return pending;
  }

  async get(key: string, load: Load<T>, what: string): Promise<T> {
    const entry = this.entries.get(key);
    if (entry && entry.generation === this.generation && this.options.now() - entry.at < this.options.fresh())
      return entry.value;
    // Wait briefly for a slow Hub only when the entry kept here can answer in its place.
    const patience = entry && this.usable(entry) ? 'brief' : 'full';
    try {
      return await (this.pending.get(key) ?? this.load(key, load, patience));
    } catch (error) {
      if (!(error instanceof HubUnavailable)) throw error;
      const last = this.entries.get(key);
      if (last && this.usable(last)) return last.value;
      throw unavailable(`hub unavailable and no usable cached ${what}`);
    }
  }

  /** Drops the matching entries and their loads in flight. */
  forget(matches: (key: string) => boolean): void {
    for (const key of [...this.entries.keys()]) if (matches(key)) this.entries.delete(key);
    for (const key of [...this.pending.keys()]) if (matches(key)) this.pending.delete(key);
    this.options.onChange?.();
  }

  /** Nothing known so far is fresh any more; entries stay only as stand-ins for an unreachable Hub. */
  expireAll(): void {
    this.generation += 1;
    this.pending.clear();
  }
}

const envKey = (project: string, env: string) => JSON.stringify([project, env]);

export function createCachedHub(hub: HubClient, options: CacheOptions = {}): CachedHub {
  const ttl = options.ttlMs ?? BRIDGE_CACHE_TTL_MS;
  const stale = Math.max(ttl, options.staleMs ?? BRIDGE_STALE_IF_ERROR_MS);
  const maxAge = options.maxAgeMs ?? BRIDGE_MAX_AGE_MS;
  const now = options.now ?? Date.now;
  const max = options.maxEntries ?? 10_000;
  let live = false;
  let urls = new Set<string>();
  const whileLive = () => (live ? maxAge : 0);
  const releases: Slots<ReleasePayload | undefined> = new Slots({
    fresh: whileLive,
    stale,
    now,
    max,
    onChange: () => publishUrls(),
  });
  const keys = new Slots<readonly SigningKey[]>({ fresh: () => ttl, stale, now, max });
  const verdicts = new Slots<ApiKeyVerifyResponse>({ fresh: whileLive, stale: 0, now, max });

  function publishUrls(): void {
    const next = new Set<string>();
    for (const { value } of releases.entries.values())
      for (const connection of Object.values(value?.connections ?? {})) next.add(connection.db_url);
    if (next.size === urls.size && [...next].every((url) => urls.has(url))) return;
    urls = next;
    options.onUrlsChanged?.(next);
  }

  return {
    release: (project, env) =>
      releases.get(envKey(project, env), (patience) => hub.currentRelease(project, env, patience), 'release'),
    keys: (project, env) =>
      keys.get(envKey(project, env), (patience) => hub.signingKeys(project, env, patience), 'token keys'),
    verifyApiKey: (keyId, secret) => {
      const slot = `${keyId}\u0000${createHash('sha256').update(secret).digest('base64url')}`;
      return verdicts.get(slot, (patience) => hub.verifyApiKey(keyId, secret, patience), 'API key verdict');
    },
    async ready() {
      if (await hub.ping()) return true;
      return [...releases.entries.values()].some((entry) => entry.value !== undefined && releases.usable(entry));
    },
    invalidate(event) {
      if (event.scope === 'apikey') verdicts.forget((key) => key.startsWith(`${event.key_id}\u0000`));
      else if (event.scope === 'release') releases.forget((key) => key === envKey(event.project, event.env));
      else keys.forget((key) => key === envKey(event.project, event.env));
    },
    setLive(next) {
      live = next;
      // Events may have been missed while the stream was down, or before it came up.
      verdicts.forget(() => true);
      releases.expireAll();
    },
    live: () => live,
  };
}
