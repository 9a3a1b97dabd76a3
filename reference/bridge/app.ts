/** `createBridgeApp(deps)`: `/call`, health and readiness; errors become the envelope in one place. */
import { randomUUID } from 'node:crypto';
import { Hono } from 'hono';
import { badRequest, envelope, HttpError } from '../shared/http-error.ts';
import { runCrud } from './crud.ts';
import { resolveCaller } from './credentials.ts';
import type { HubClient } from './hub-client.ts';
import { runLogic } from './logics.ts';
import { databaseError, type Pools } from './pools.ts';

export interface BridgeDeps {
  readonly hub: HubClient;
  readonly pools: Pools;
  readonly log: (line: string) => void;
}

type BridgeEnv = { Variables: { requestId: string } };

async function readCall(text: string): Promise<{ path: string; params: Record<string, unknown> }> {
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    throw badRequest('request body is not valid JSON');
  }
  const { path, params } = (body ?? {}) as { path?: unknown; params?: unknown };
  if (typeof path !== 'string' || path === '') throw badRequest("field 'path' is required");
  if (params !== undefined && (typeof params !== 'object' || params === null || Array.isArray(params))) throw badRequest("field 'params' must be an object");
  return { path, params: (params ?? {}) as Record<string, unknown> };
}

async function dispatch(deps: BridgeDeps, callerPromise: ReturnType<typeof resolveCaller>, path: string, params: Record<string, unknown>) {
  const caller = await callerPromise;
  const release = await deps.hub.currentRelease(caller.project, caller.env);
  if (!release) throw new HttpError('NOT_FOUND', `no release for ${caller.project}/${caller.env}`);
  deps.pools.retain(new Set(Object.values(release.connections).map((connection) => connection.db_url)));
  const db = /^db\/([^/]+)\/([^/]+)$/.exec(path);
  try {
    if (db) return await runCrud({ release, caller, pools: deps.pools }, db[1] ?? '', db[2] ?? '', params);
    if (path.startsWith('logics/')) return await runLogic(release, caller, deps.pools, path.slice('logics/'.length), params);
  } catch (error) {
    throw error instanceof HttpError ? error : databaseError(error);
  }
  throw badRequest(`unknown path '${path.slice(0, 64)}': use db/<table>/<op> or logics/<name>`);
}

export function createBridgeApp(deps: BridgeDeps): Hono<BridgeEnv> {
  const app = new Hono<BridgeEnv>();
  app.use(async (c, next) => {
    c.set('requestId', randomUUID());
    const started = performance.now();
    await next();
    c.header('X-Request-Id', c.get('requestId'));
    deps.log(`${c.req.method} ${c.req.path} ${c.res.status} ${Math.round(performance.now() - started)}ms id=${c.get('requestId')}`);
  });
  app.get('/health', (c) => c.json({ ok: true }));
  app.get('/healthz', (c) => c.json({ ok: true }));
  app.get('/readyz', async (c) => {
    const project = c.req.query('project');
    const env = c.req.query('env');
    if ((project === undefined) !== (env === undefined)) throw badRequest('give both project and env, or neither');
    const unavailable = (message: string) => c.json({ ok: false, ...envelope(new HttpError('SERVICE_UNAVAILABLE', message), c.get('requestId')) }, 503);
    if (project === undefined || env === undefined) return (await deps.hub.reachable()) ? c.json({ ok: true }) : unavailable('hub unreachable');
    const release = await deps.hub.currentRelease(project, env).catch(() => undefined);
    if (!release) return unavailable(`no release for ${project}/${env}`);
    const main = release.connections.main;
    if (!main) return unavailable("connection 'main' is not configured");
    try {
      await deps.pools.pool(main.db_url).query({ text: 'SELECT 1', query_timeout: 2_000 } as unknown as string);
      return c.json({ ok: true });
    } catch {
      return unavailable("project database unreachable on connection 'main'");
    }
  });
  app.post('/call', async (c) => {
    if (!/^application\/([\w.+-]+\+)?json\b/i.test(c.req.header('content-type') ?? '')) throw badRequest('Content-Type must be application/json');
    const { path, params } = await readCall(await c.req.text());
    const data = await dispatch(deps, resolveCaller(c, deps.hub), path, params);
    return c.json({ data });
  });
  app.notFound((c) => c.json(envelope(new HttpError('NOT_FOUND', `no route ${c.req.method} ${c.req.path}`), c.get('requestId')), 404));
  app.onError((error, c) => {
    const failure = error instanceof HttpError ? error : new HttpError('INTERNAL_ERROR', 'internal error');
    if (!(error instanceof HttpError)) deps.log(`error id=${c.get('requestId')}: ${error instanceof Error ? error.message : String(error)}`);
    return c.json(envelope(failure, c.get('requestId')), failure.status as 400);
  });
  return app;
}
