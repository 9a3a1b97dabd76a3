/**
 * Liveness and readiness (OPERATOR-007). `/health` and `/healthz` answer
 * while the process runs. `/readyz` is `503 {"ok": false}` (a probe's answer,
 * not an API error) while the Hub is unreachable and no cached release is
 * usable; with `?project=&env=` it also needs that env's release and its
 * `main` database to answer. The reason goes to the log.
 */
import type { Context, Hono } from 'hono';
import { badRequest, HttpError } from './errors.ts';
import type { CachedHub } from './hub-cache.ts';
import type { Pools } from './pools.ts';

const PROBE_TIMEOUT_MS = 2_000;

async function databaseAnswers(pools: Pools, url: string): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<false>((resolve) => {
    timer = setTimeout(() => resolve(false), PROBE_TIMEOUT_MS);
  });
  const probe = pools
    .pool(url)
    .query('SELECT 1')
    .then(
      () => true,
      () => false,
    );
  try {
    return await Promise.race([probe, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** Undefined when ready, else why not. */
async function envProblem(hub: CachedHub, pools: Pools, project: string, env: string): Promise<string | undefined> {
  let release;
  try {
    release = await hub.release(project, env);
  } catch (error) {
    return error instanceof HttpError ? error.message : 'hub unavailable';
  }
  if (!release) return `no release for ${project.slice(0, 64)}/${env.slice(0, 64)}`;
  const main = Object.hasOwn(release.connections, 'main') ? release.connections.main : undefined;
  if (!main) return "connection 'main' is not configured";
  return (await databaseAnswers(pools, main.db_url)) ? undefined : "project database unreachable on connection 'main'";
}

export function registerHealthRoutes<E extends { Variables: { requestId: string } }>(
  app: Hono<E>,
  hub: CachedHub,
  pools: Pools,
  log: (line: string) => void = () => undefined,
): void {
  const ok = (c: Context) => c.json({ ok: true });
  app.get('/health', ok);
  app.get('/healthz', ok);
  app.get('/readyz', async (c) => {
    const project = c.req.query('project');
    const env = c.req.query('env');
    if ((project === undefined) !== (env === undefined)) throw badRequest('give both project and env, or neither');
    const problem =
      project === undefined || env === undefined
        ? (await hub.ready())
          ? undefined
          : 'hub unreachable and no usable cached release'
        : await envProblem(hub, pools, project, env);
    if (problem === undefined) return c.json({ ok: true });
    log(`readyz: ${problem} id=${c.get('requestId')}`);
    return c.json({ ok: false }, 503);
  });
}
