/**
 * `createBridgeApp(deps)`: `POST /call`, health and readiness, testable
 * without a socket. Every response carries `X-Request-Id`; every failure is
 * turned into the `{ "error": { code, message, requestId } }` envelope here
 * and nowhere else.
 */
import { randomUUID } from 'node:crypto';
import { Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { envelope } from '../shared/http-error.ts';
import { handleCall, readCallBody } from './call.ts';
import { badRequest, HttpError, notFound } from './errors.ts';
import { registerHealthRoutes } from './health.ts';
import { createCachedHub, type CachedHub, type CacheOptions } from './hub-cache.ts';
import type { HubClient } from './hub-client.ts';
import type { Pools } from './pools.ts';
import type { StorageBackend } from './storage-s3.ts';

export interface BridgeDeps {
  /** The Hub's internal routes (an HTTP client, or an in-memory double in tests). */
  readonly hub: HubClient;
  readonly pools: Pools;
  /** One line per request (method, path, status, time, request id) and per unexpected error. */
  readonly log?: (line: string) => void;
  /** Cache bounds; defaults from shared/contract.ts. */
  readonly cache?: Omit<CacheOptions, 'onUrlsChanged'>;
  /** Called once with the cache, so main.ts can feed it the Hub's invalidation stream. */
  readonly attachCache?: (cache: CachedHub) => void;
  /** The object store behind `storage/<bucket>/<op>` and file cascades; absent: those answer 503 / are skipped. */
  readonly storage?: StorageBackend;
}

export type BridgeEnv = { Variables: { requestId: string } };

const MAX_BODY_BYTES = 1024 * 1024;

export function createBridgeApp(deps: BridgeDeps): Hono<BridgeEnv> {
  const log = deps.log ?? (() => undefined);
  const hub = createCachedHub(deps.hub, { ...deps.cache, onUrlsChanged: (urls) => deps.pools.retain(urls) });
  deps.attachCache?.(hub);
  const app = new Hono<BridgeEnv>();
  app.use(async (c, next) => {
    const requestId = randomUUID();
    c.set('requestId', requestId);
    const started = performance.now();
    await next();
    c.header('X-Request-Id', requestId);
    log(`${c.req.method} ${c.req.path} ${c.res.status} ${Math.round(performance.now() - started)}ms id=${requestId}`);
  });
  registerHealthRoutes(app, hub, deps.pools, log);
  app.post(
    '/call',
    bodyLimit({
      maxSize: MAX_BODY_BYTES,
      onError: () => {
        throw badRequest('request body is larger than 1 MiB');
      },
    }),
    async (c) =>
      c.json({
        data: await handleCall(
          { hub, pools: deps.pools, ...(deps.storage ? { storage: deps.storage } : {}), log },
          c,
          await readCallBody(c),
        ),
      }),
  );
  app.notFound((c) =>
    c.json(envelope(notFound(`no route ${c.req.method} ${c.req.path.slice(0, 128)}`), c.get('requestId')), 404),
  );
  app.onError((error, c) => {
    const failure = error instanceof HttpError ? error : new HttpError('INTERNAL_ERROR', 'internal error');
    // Only the clean message and the error's class: raw driver text may quote SQL or values.
    if (failure.status >= 500)
      log(
        `error id=${c.get('requestId')}: ${failure.code} ${failure.message}${failure === error ? '' : ` (${error instanceof Error ? error.name : typeof error})`}`,
      );
    return c.json(envelope(failure, c.get('requestId')), failure.status as 400);
  });
  return app;
}
