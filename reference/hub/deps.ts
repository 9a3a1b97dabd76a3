/** What every route gets: the state store, the configuration, the sealer for secrets at rest. */
import type { Hono } from 'hono';
import type { HubConfig } from './config.ts';
import type { Sealer } from './crypto.ts';
import type { EventBus } from './events.ts';
import type { Store } from './store.ts';

export interface HubDeps {
  readonly store: Store;
  readonly config: HubConfig;
  readonly sealer: Sealer;
  /** One line per request and per failure; main.ts sends it to stdout. */
  readonly log: (line: string) => void;
  /** Invalidation events to the Bridges; createHubApp makes one when absent. */
  readonly events?: EventBus;
}

export type HubEnv = { Variables: { requestId: string } };
export type HubApp = Hono<HubEnv>;
