/**
 * `POST /call` (call-api.md): decode the body, resolve the caller, load the
 * env's release, then dispatch on the path — `db/<table>/<op>`,
 * `logics/<name>`, `storage/<bucket>/<op>`, or 404 for anything else.
 */
import type { Context } from 'hono';
import { resolveCaller } from './credentials.ts';
import { runCrud } from './crud.ts';
import { badRequest, notFound } from './errors.ts';
import type { CachedHub } from './hub-cache.ts';
import { runLogic } from './logics.ts';
import type { Pools } from './pools.ts';
import { runStorage } from './storage.ts';
import type { StorageBackend } from './storage-s3.ts';
import { isPlainObject } from './where.ts';

export interface CallDeps {
  readonly hub: CachedHub;
  readonly pools: Pools;
  /** The object store (storage-s3.ts); absent: storage calls answer 503 after their policy checks. */
  readonly storage?: StorageBackend;
  /** Where background work (storage cascades) reports; default standard output. */
  readonly log?: (line: string) => void;
}

export interface CallBody {
  readonly path: string;
  readonly params: unknown;
}

const JSON_TYPE = /^application\/(?:[\w.+-]+\+)?json\s*(?:;|$)/i;

/** Content type, JSON, an object, a string `path`; `params` is checked by the handler, after its own guards. */
export async function readCallBody(c: Context): Promise<CallBody> {
  if (!JSON_TYPE.test(c.req.header('content-type') ?? '')) throw badRequest('Content-Type must be application/json');
  let body: unknown;
  try {
    body = JSON.parse(await c.req.text());
  } catch {
    throw badRequest('request body is not valid JSON');
  }
  if (!isPlainObject(body)) throw badRequest('request body must be a JSON object');
  const path = Object.hasOwn(body, 'path') ? body.path : undefined;
  if (typeof path !== 'string' || path === '') throw badRequest("field 'path' is required and must be a string");
  return { path, params: Object.hasOwn(body, 'params') ? body.params : undefined };
}

export async function handleCall(deps: CallDeps, c: Context, body: CallBody): Promise<unknown> {
  const caller = await resolveCaller((name) => c.req.header(name), deps.hub);
  const release = await deps.hub.release(caller.project, caller.env);
  if (!release) throw notFound(`no release for ${caller.project.slice(0, 64)}/${caller.env.slice(0, 64)}`);
  const backend = deps.storage;
  const cascade = {
    backend,
    requestId: String(c.get('requestId') ?? ''),
    log: deps.log ?? ((line: string) => console.log(line)),
  };
  const ctx = { release, caller, pools: deps.pools, cascade };
  if (body.path.startsWith('db/')) {
    const parts = body.path.slice(3).split('/');
    if (parts.length !== 2 || !parts[0] || !parts[1]) throw badRequest('invalid db path: use db/<table>/<op>');
    return runCrud(ctx, parts[0], parts[1], body.params);
  }
  if (body.path.startsWith('logics/')) return runLogic(ctx, body.path.slice('logics/'.length), body.params);
  if (body.path.startsWith('storage/')) {
    const parts = body.path.slice('storage/'.length).split('/');
    if (parts.length !== 2 || !parts[0] || !parts[1])
      throw badRequest('invalid storage path: use storage/<bucket>/<op>');
    return runStorage({ release, caller, backend }, parts[0], parts[1], body.params);
  }
  throw notFound('path not found');
}
