/**
 * The current release of one project/env as the Hub gives it to this
 * operator. Every read asks the Hub for the env's pointer with the operator
 * token, so the Hub's RBAC decides each tool call and a promote or apply is
 * seen at once; the release's content is fetched only when the pointer has
 * moved to a release not cached yet.
 */
import { Agent } from 'node:http';
import { send } from '../../shared/send.ts';
import { forbidden, internal, notFound, unavailable } from './tool-error.ts';

export interface McpScope {
  readonly hubUrl: string;
  readonly project: string;
  readonly env: string;
  /** The operator token (`STK_AUTH_TOKEN`); without one every read is refused. */
  readonly token: string | undefined;
}

export interface ReleaseSnapshot {
  readonly releaseId: string;
  readonly ref: string;
  readonly createdAt: string;
  readonly schema: { readonly tables: Readonly<Record<string, unknown>> };
  readonly permissions: { readonly tables: Readonly<Record<string, unknown>> };
  readonly logics: Readonly<Record<string, string>>;
}

/** What the start-up check learned: a release, or that this token may not read one (the tools will refuse). */
export type Probe =
  | { readonly kind: 'release'; readonly release: ReleaseSnapshot }
  | { readonly kind: 'refused'; readonly status: number };

export interface ReleaseSource {
  current(signal?: AbortSignal): Promise<ReleaseSnapshot>;
  /** The start-up check: the Hub answers and, when the token may read it, the env has a current release. */
  probe(): Promise<Probe>;
  close(): void;
}

type Row = Record<string, unknown>;
const CONTENT = 'schema,permissions,logics';

export class HubUnreachable extends Error {}

export function createReleaseSource(scope: McpScope): ReleaseSource {
  const agent = new Agent({ keepAlive: true });
  let cached: ReleaseSnapshot | undefined;

  const get = async (
    include: boolean,
    signal?: AbortSignal,
  ): Promise<{ status: number; body: Row | undefined; text: string }> => {
    const url = new URL(`${scope.hubUrl.replace(/\/+$/, '')}/api/releases/current`);
    url.searchParams.set('project', scope.project);
    url.searchParams.set('env', scope.env);
    if (include) url.searchParams.set('include', CONTENT);
    const headers: Record<string, string> = scope.token === undefined ? {} : { authorization: `Bearer ${scope.token}` };
    const once = () => send(url, { method: 'GET', headers, agent, ...(signal ? { signal } : {}) });
    let response: { status: number; text: string };
    try {
      // A kept-alive socket the Hub closes as it is reused fails at once ("socket hang up"): a GET may simply go again.
      response = await once().catch((error: unknown) => {
        if (signal?.aborted) throw error;
        return once();
      });
    } catch (error) {
      if (signal?.aborted) throw error;
      throw new HubUnreachable(`hub unreachable at ${url.origin}: ${(error as Error).message}`);
    }
    return { status: response.status, body: parseObject(response.text), text: response.text };
  };

  const load = async (signal?: AbortSignal): Promise<ReleaseSnapshot> => {
    const pointer = await get(false, signal);
    if (pointer.status === 200 && cached && pointer.body?.release_id === cached.releaseId) return cached;
    const full = pointer.status === 200 ? await get(true, signal) : pointer;
    if (full.status !== 200) throw failure(full.status, full.body, scope);
    cached = snapshotOf(full.body ?? {});
    return cached;
  };

  return {
    async current(signal) {
      try {
        return await load(signal);
      } catch (error) {
        if (error instanceof HubUnreachable) throw unavailable(error.message);
        throw error;
      }
    },
    async probe() {
      try {
        return { kind: 'release', release: await load() };
      } catch (error) {
        const code = (error as { data?: { code?: string } }).data?.code;
        if (code === 'FORBIDDEN') return { kind: 'refused', status: (error as { status?: number }).status ?? 403 };
        throw error;
      }
    },
    close: () => agent.destroy(),
  };
}

function parseObject(text: string): Row | undefined {
  try {
    const value: unknown = JSON.parse(text);
    return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Row) : undefined;
  } catch {
    return undefined;
  }
}

/** 401 and 403 are both "this operator may not read the release"; 404 is an env (or project) without a current release. */
function failure(status: number, body: Row | undefined, scope: McpScope): Error {
  if (status === 401 || status === 403) return Object.assign(forbidden(), { status });
  const message = (body?.error as Row | undefined)?.message;
  if (status === 404)
    return notFound(
      `no current release for ${scope.project}/${scope.env}${typeof message === 'string' ? ` (${message})` : ''}`,
    );
  return internal(
    `the hub answered ${status} for the current release${typeof message === 'string' ? ` (${message})` : ''}`,
  );
}

function snapshotOf(body: Row): ReleaseSnapshot {
  const tables = (part: unknown) => ((part as Row | undefined)?.tables ?? {}) as Record<string, unknown>;
  return {
    releaseId: String(body.release_id ?? body.id ?? ''),
    ref: String(body.ref ?? ''),
    createdAt: String(body.created_at ?? ''),
    schema: { tables: tables(body.schema) },
    permissions: { tables: tables(body.permissions) },
    logics: (body.logics ?? {}) as Record<string, string>,
  };
}
