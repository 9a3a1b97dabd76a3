/**
 * How a warm stack follows source edits: its owner listens on a loopback port
 * (the address and a random token are in stack.json, readable by this user
 * only) for `POST /refresh {"parts": [...]}` from a run that found the
 * reference sources changed; it restarts the services those parts make up,
 * rewrites stack.json with the new fingerprint and answers. Requests are
 * served one at a time. Parts a restart cannot follow (the lockfile, a
 * --hub-bin binary) are refused, and the run starts a fresh stack instead.
 *
 * A run ending on the warm stack hands the databases its scenarios created
 * to the owner (`POST /drop-databases {"databases": [...]}`): the owner
 * answers at once and drops them in the background, so the run does not wait
 * for them and a day of runs does not pile them up.
 */
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface WarmControl {
  readonly url: string;
  readonly token: string;
}

/** The stack's services a change to `part` needs restarted; undefined when no restart can follow it. */
export function servicesFor(part: string): readonly string[] | undefined {
  const own: Readonly<Record<string, readonly string[]>> = {
    'reference/hub': ['hub'],
    'reference/bridge': ['bridge'],
    'reference/idp': ['idp'],
    'reference/objectstore': ['objectstore'],
    // stk starts anew for every call, from what its sources are then.
    'reference/stk': [],
  };
  if (own[part]) return own[part];
  // Shared code, or a folder this list does not know: every service may load it.
  if (part.startsWith('reference/')) return ['hub', 'bridge', 'idp', 'objectstore'];
  return undefined;
}

/** Every service the parts need restarted, in a stable order; undefined when one part cannot be followed. */
export function servicesForParts(parts: readonly string[]): string[] | undefined {
  const services = new Set<string>();
  for (const part of parts) {
    const found = servicesFor(part);
    if (found === undefined) return undefined;
    for (const service of found) services.add(service);
  }
  return ['hub', 'bridge', 'idp', 'objectstore'].filter((service) => services.has(service));
}

function authorised(header: string | undefined, token: string): boolean {
  const given = Buffer.from(header ?? '');
  const expected = Buffer.from(`Bearer ${token}`);
  return given.length === expected.length && timingSafeEqual(given, expected);
}

/** The array of strings under `key` of a JSON body; undefined when the body is anything else. */
function stringsOf(body: string, key: string): string[] | undefined {
  try {
    const list = (JSON.parse(body) as Record<string, unknown>)[key];
    return Array.isArray(list) && list.every((item) => typeof item === 'string') ? list : undefined;
  } catch {
    return undefined;
  }
}

/** What the owner does for a run. */
export interface WarmOwner {
  /** Restarts what the parts need and records the stack again; it may throw. */
  refresh(parts: readonly string[]): Promise<readonly string[]>;
  /** Drops these databases of a finished run; the run has stopped waiting. */
  dropDatabases(names: readonly string[]): Promise<void>;
}

/** Owner side: one request at a time for refreshes; drops are answered at once and run behind them. */
export async function startWarmControl(owner: WarmOwner): Promise<WarmControl & { close(): Promise<void> }> {
  const token = randomBytes(24).toString('base64url');
  let queue: Promise<unknown> = Promise.resolve();
  const refresh = (parts: readonly string[]) => {
    const run = queue.then(() => owner.refresh(parts));
    queue = run.catch(() => undefined);
    return run;
  };
  const server: Server = createServer((request, response) => {
    const answer = (status: number, body: unknown) =>
      response.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
    const route = request.method === 'POST' ? request.url : undefined;
    if (route !== '/refresh' && route !== '/drop-databases') return void answer(404, { error: 'not found' });
    if (!authorised(request.headers.authorization, token)) return void answer(401, { error: 'unauthorised' });
    let body = '';
    request.setEncoding('utf8').on('data', (chunk: string) => (body += chunk));
    request.on('end', () => {
      if (route === '/drop-databases') {
        const names = stringsOf(body, 'databases');
        if (names === undefined) return void answer(400, { error: 'expected {"databases": [name, …]}' });
        answer(202, { accepted: names.length });
        return void owner.dropDatabases(names).catch(() => undefined);
      }
      const parts = stringsOf(body, 'parts');
      if (parts === undefined) return void answer(400, { error: 'expected {"parts": [source part, …]}' });
      const started = performance.now();
      refresh(parts).then(
        (restarted) => answer(200, { restarted, ms: Math.round(performance.now() - started) }),
        (error: unknown) => answer(500, { error: error instanceof Error ? error.message : String(error) }),
      );
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const close = () =>
    new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    });
  return { url: `http://127.0.0.1:${port}`, token, close };
}

/** Run side: asks the owner to follow `parts`; resolves to what it restarted, rejects with its reason. */
export async function requestRefresh(
  control: WarmControl,
  parts: readonly string[],
  timeoutMs = 120_000,
): Promise<{ restarted: string[]; ms: number }> {
  const response = await fetch(`${control.url}/refresh`, {
    method: 'POST',
    headers: { authorization: `Bearer ${control.token}`, 'content-type': 'application/json' },
    body: JSON.stringify({ parts }),
    signal: AbortSignal.timeout(timeoutMs),
  });
  const body = (await response.json()) as { restarted?: string[]; ms?: number; error?: string };
  if (!response.ok) throw new Error(body.error ?? `HTTP ${response.status}`);
  return { restarted: body.restarted ?? [], ms: body.ms ?? 0 };
}

/** Run side: hands a finished run's databases to the owner, which drops them after answering. */
export async function handOffDatabases(
  control: WarmControl,
  names: readonly string[],
  timeoutMs = 5_000,
): Promise<void> {
  const response = await fetch(`${control.url}/drop-databases`, {
    method: 'POST',
    headers: { authorization: `Bearer ${control.token}`, 'content-type': 'application/json' },
    body: JSON.stringify({ databases: names }),
    signal: AbortSignal.timeout(timeoutMs),
  });
  if (response.status !== 202) throw new Error(`the warm stack's owner answered HTTP ${response.status}`);
}
