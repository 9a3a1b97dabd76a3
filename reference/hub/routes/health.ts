import type { HubApp, HubDeps } from '../deps.ts';

const READY_DEADLINE_MS = 2_000;

function withDeadline<T>(work: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error('deadline passed')), ms);
  });
  return Promise.race([work, deadline]).finally(() => clearTimeout(timer));
}

/**
 * Liveness never consults a dependency; readiness asks the state store, within 2 seconds.
 * Not ready is `503 {"ok": false}` (OPERATOR-007), a probe's answer rather than an API error.
 */
export function registerHealthRoutes(app: HubApp, deps: HubDeps): void {
  const live = { ok: true };
  app.get('/health', (c) => c.json(live));
  app.get('/healthz', (c) => c.json(live));
  app.get('/readyz', async (c) => {
    try {
      await withDeadline(deps.store.ping(), READY_DEADLINE_MS);
      return c.json({ ok: true });
    } catch {
      deps.log(`readyz: state store unreachable id=${c.get('requestId')}`);
      return c.json({ ok: false }, 503);
    }
  });
}
