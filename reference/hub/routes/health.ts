import type { HubApp, HubDeps } from '../deps.ts';
import { envelope, HttpError } from '../../shared/http-error.ts';

export function registerHealthRoutes(app: HubApp, deps: HubDeps): void {
  const live = { ok: true };
  app.get('/health', (c) => c.json(live));
  app.get('/healthz', (c) => c.json(live));
  app.get('/readyz', async (c) => {
    try {
      await deps.store.ping();
      return c.json({ ok: true });
    } catch {
      const failure = new HttpError('SERVICE_UNAVAILABLE', 'state store unreachable');
      return c.json({ ok: false, ...envelope(failure, c.get('requestId')) }, 503);
    }
  });
}
