/**
 * How a warm stack follows source edits: its owner listens on a loopback port
 * (the address and a random token are in stack.json, readable by this user
 * only) for `POST /refresh {"parts": [...]}` from a run that found the
 * reference sources changed; it restarts the services those parts make up,
 * rewrites stack.json with the new fingerprint and answers. Requests are
 * served one at a time. Parts a restart cannot follow (the lockfile, a
 * --hub-bin binary) are refused, and the run starts a fresh stack instead.
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

function partsOf(body: string): string[] | undefined {
  try {
    const parts = (JSON.parse(body) as { parts?: unknown }).parts;
    return Array.isArray(parts) && parts.every((part) => typeof part === 'string') ? parts : undefined;
  } catch {
    return undefined;
  }
}

/** Owner side. `refresh` restarts what the parts need and records the stack again; it may throw. */
export async function startWarmControl(
  refresh: (parts: readonly string[]) => Promise<readonly string[]>,
): Promise<WarmControl & { close(): Promise<void> }> {
  const token = randomBytes(24).toString('base64url');
  let queue: Promise<unknown> = Promise.resolve();
  const server: Server = createServer((request, response) => {
    const answer = (status: number, body: unknown) =>
      response.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
    if (request.method !== 'POST' || request.url !== '/refresh') return void answer(404, { error: 'not found' });
    if (!authorised(request.headers.authorization, token)) return void answer(401, { error: 'unauthorised' });
    let body = '';
    request.setEncoding('utf8').on('data', (chunk: string) => (body += chunk));
    request.on('end', () => {
      const parts = partsOf(body);
      if (parts === undefined) return void answer(400, { error: 'expected {"parts": [source part, …]}' });
      const started = performance.now();
      const run = queue.then(() => refresh(parts));
      queue = run.catch(() => undefined);
      run.then(
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
