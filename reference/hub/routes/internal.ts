/** `/internal/*` for the Bridge (reference/shared/contract.ts), behind the service token. */
import { timingSafeEqual } from 'node:crypto';
import { stream } from 'hono/streaming';
import {
  SERVICE_TOKEN_HEADER,
  serviceTokenValue,
  type ApiKeyVerifyResponse,
  type ConnectionEntry,
  type ReleasePayload,
} from '../../shared/contract.ts';
import { deriveAccessKeys, verifyAccessToken } from '../../shared/tokens.ts';
import { verifySecret } from '../crypto.ts';
import type { HubApp, HubDeps } from '../deps.ts';
import type { EventBus } from '../events.ts';
import { badRequest, notFound, unauthorized } from '../../shared/http-error.ts';
import { NAME, readBody } from '../http.ts';
import { currentRelease, releaseById, type ReleaseRow } from '../releases.ts';
import { connectionsOf } from './lookup.ts';

function sameSecret(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

async function payload(deps: HubDeps, row: ReleaseRow, env: string): Promise<ReleasePayload> {
  const connections: Record<string, ConnectionEntry> = {};
  for (const connection of await connectionsOf(deps.store, row.project, env)) {
    connections[connection.name] = {
      name: connection.name,
      engine: 'postgres',
      db_url: deps.sealer.open(connection.sealed_url),
    };
  }
  return { release_id: row.id, project: row.project, env, ...row.body, connections };
}

export function registerInternalRoutes(app: HubApp, deps: HubDeps): void {
  const { store, config } = deps;
  // Liveness only, as upstream serves it: it reveals nothing, so it needs no token.
  app.get('/internal/healthz', (c) => c.json({ ok: true }));
  app.use('/internal/*', async (c, next) => {
    if (c.req.path === '/internal/healthz') return next();
    if (!sameSecret(c.req.header(SERVICE_TOKEN_HEADER) ?? '', serviceTokenValue(config.serviceToken)))
      throw unauthorized('service token required');
    await next();
  });
  if (deps.events) registerEventRoutes(app, deps.events);

  app.get('/internal/releases/:project/:env/current', async (c) => {
    const { project, env } = c.req.param();
    const row = await currentRelease(store, project, env);
    if (!row) throw notFound('no current release');
    return c.json(await payload(deps, row, env));
  });

  app.get('/internal/releases/:id', async (c) => {
    const row = await releaseById(store, c.req.param('id'));
    if (!row) throw notFound('release not found');
    return c.json(await payload(deps, row, row.env));
  });

  app.get('/internal/keys/:project/:env', async (c) => {
    const { project, env } = c.req.param();
    // Only real envs get keys: operator tokens are signed under a reserved context that must never verify here.
    const exists = await store.query(`SELECT 1 FROM hub_envs WHERE project = $1 AND name = $2`, [project, env]);
    if (exists.length === 0) throw notFound('env not found');
    return c.json({ project, env, keys: deriveAccessKeys(config.pasetoKeys, project, env) });
  });

  app.post('/internal/apikeys/verify', async (c) => {
    const body = await readBody(c);
    const keyId = typeof body.key_id === 'string' ? body.key_id : '';
    const secret = typeof body.secret === 'string' ? body.secret : '';
    const rows = await store.query<{
      id: string;
      project: string;
      env: string;
      secret_hash: string;
      roles: string[];
      revoked_at: Date | null;
    }>(`SELECT id, project, env, secret_hash, roles, revoked_at FROM hub_api_keys WHERE id = $1`, [keyId]);
    const key = rows[0];
    const invalid: ApiKeyVerifyResponse = { valid: false };
    if (!key || key.revoked_at || !(await verifySecret(secret, key.secret_hash))) return c.json(invalid);
    const valid: ApiKeyVerifyResponse = {
      valid: true,
      key: {
        id: key.id,
        project_id: key.project,
        env_id: key.env,
        project_name: key.project,
        env_name: key.env,
        roles: key.roles,
      },
    };
    return c.json(valid);
  });

  app.post('/internal/tokens/verify', async (c) => {
    const body = await readBody(c);
    // Only real project/env names have end-user keys: the operator-token context never verifies here.
    const keysFor = (project: string, env: string) =>
      NAME.test(project) && NAME.test(env) ? deriveAccessKeys(config.pasetoKeys, project, env) : [];
    const verdict = verifyAccessToken(String(body.token ?? ''), keysFor);
    if (verdict.status !== 'valid') return c.json({ valid: false });
    const { claims } = verdict;
    return c.json({
      valid: true,
      claims: { project: claims.projectId, env: claims.envId, sub: claims.sub, roles: claims.roles },
    });
  });
}

/** The invalidation stream (hub/events.ts): one JSON line per event, a ping every second, acks by POST. */
function registerEventRoutes(app: HubApp, events: EventBus): void {
  app.get('/internal/events', (c) => {
    c.header('Content-Type', 'application/x-ndjson');
    c.header('Cache-Control', 'no-store');
    return stream(c, async (out) => {
      let closed = false;
      let finish: () => void = () => undefined;
      const done = new Promise<void>((resolve) => {
        finish = resolve;
      });
      const id = events.subscribe(
        (line) => {
          if (!closed) void out.write(`${line}\n`).catch(() => events.unsubscribe(id));
        },
        () => {
          closed = true;
          finish();
        },
      );
      out.onAbort(() => events.unsubscribe(id));
      await out.write(`${JSON.stringify({ type: 'hello', subscriber: id })}\n`);
      await done;
    });
  });

  app.post('/internal/events/ack', async (c) => {
    const body = await readBody(c);
    if (typeof body.subscriber !== 'string' || typeof body.seq !== 'number')
      throw badRequest("fields 'subscriber' and 'seq' are required");
    return c.json({ ok: events.acknowledge(body.subscriber, body.seq) });
  });
}
