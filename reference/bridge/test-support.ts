/**
 * Test harness for the Bridge's own tests: a real PostgreSQL with the
 * tables a test declares, an in-memory Hub double speaking the internal
 * contract, the app, and helpers to call it and to look at the database.
 */
import pg from 'pg';
import type { ApiKeyVerifyResponse, ReleasePayload } from '../shared/contract.ts';
import { parsePasetoKeys } from '../shared/paseto-keys.ts';
import { deriveAccessKeys, issueAccessToken } from '../shared/tokens.ts';
import { startTestPostgres, type TestPostgres } from '../testing/postgres.ts';
import { createBridgeApp, type BridgeDeps } from './app.ts';
import { HubUnavailable, type HubClient, type HubPatience } from './hub-client.ts';
import { createPools, type Pools } from './pools.ts';

export const SECRETS = parsePasetoKeys('k1:bridge-test-secret-0001,k0:bridge-test-secret-0000');

export interface ApiKeyRecord {
  readonly secret: string;
  readonly project: string;
  readonly env: string;
  readonly roles: readonly string[];
  revoked?: boolean;
}

/** The Hub double: mutable state, and an outage switch. */
export interface FakeHub extends HubClient {
  readonly releases: Map<string, ReleasePayload>;
  readonly apiKeys: Map<string, ApiKeyRecord>;
  down: boolean;
  calls: number;
  /** How long each call was willing to wait, in call order. */
  readonly patience: (HubPatience | undefined)[];
}

export function createFakeHub(): FakeHub {
  const state = { down: false, calls: 0 };
  const releases = new Map<string, ReleasePayload>();
  const apiKeys = new Map<string, ApiKeyRecord>();
  const patience: (HubPatience | undefined)[] = [];
  const answer = async <T>(value: () => T, wait?: HubPatience): Promise<T> => {
    state.calls += 1;
    patience.push(wait);
    if (state.down) throw new HubUnavailable('hub down (test)');
    return value();
  };
  return {
    releases,
    apiKeys,
    patience,
    get down() {
      return state.down;
    },
    set down(value: boolean) {
      state.down = value;
    },
    get calls() {
      return state.calls;
    },
    set calls(value: number) {
      state.calls = value;
    },
    currentRelease: (project, env, wait) => answer(() => releases.get(`${project}/${env}`), wait),
    releaseById: (id, wait) => answer(() => [...releases.values()].find((release) => release.release_id === id), wait),
    signingKeys: (project, env, wait) =>
      answer(() => (project.startsWith('__') ? [] : deriveAccessKeys(SECRETS, project, env)), wait),
    verifyApiKey: (keyId, secret, wait) =>
      answer((): ApiKeyVerifyResponse => {
        const key = apiKeys.get(keyId);
        if (!key || key.revoked || key.secret !== secret) return { valid: false };
        return {
          valid: true,
          key: {
            id: keyId,
            project_id: key.project,
            env_id: key.env,
            project_name: key.project,
            env_name: key.env,
            roles: [...key.roles],
          },
        };
      }, wait),
    ping: async () => !state.down,
  };
}

/** An end-user access token as the Hub would issue it (roles `authenticated`, `reader` by default). */
export function endUserToken(
  project: string,
  sub: string,
  options: { env?: string; ttlSeconds?: number; roles?: string[]; secrets?: typeof SECRETS } = {},
): string {
  const env = options.env ?? 'dev';
  const [key] = deriveAccessKeys(options.secrets ?? SECRETS, project, env);
  if (!key) throw new Error('no signing key');
  return issueAccessToken(key, {
    sub,
    roles: options.roles ?? ['authenticated', 'reader'],
    project,
    env,
    ttlSeconds: options.ttlSeconds ?? 600,
  });
}

export interface CallResult {
  readonly status: number;
  readonly text: string;
  readonly headers: Headers;
  /** Parsed body; `undefined` when it is not JSON. */
  readonly body: {
    data?: unknown;
    error?: { code: string; message: string; requestId: string; details?: Record<string, unknown> };
  } & Record<string, unknown>;
}

export interface Harness {
  readonly hub: FakeHub;
  readonly pools: Pools;
  readonly postgres: TestPostgres;
  readonly url: string;
  readonly app: ReturnType<typeof createBridgeApp>;
  call(path: string, params?: unknown, headers?: Record<string, string>): Promise<CallResult>;
  request(path: string, init?: RequestInit): Promise<CallResult>;
  sql<T extends Record<string, unknown> = Record<string, unknown>>(text: string, values?: unknown[]): Promise<T[]>;
  /** Row count and an md5 over every row of `table`. */
  checksum(table: string): Promise<string>;
  stop(): Promise<void>;
}

export interface HarnessOptions {
  readonly ddl: string;
  readonly release: (
    url: string,
  ) => Omit<ReleasePayload, 'connections'> & { connections?: ReleasePayload['connections'] };
  readonly cache?: BridgeDeps['cache'];
}

async function readResult(response: Response): Promise<CallResult> {
  const text = await response.text();
  let body: CallResult['body'];
  try {
    body = JSON.parse(text) as CallResult['body'];
  } catch {
    body = {};
  }
  return { status: response.status, text, headers: response.headers, body };
}

export async function startHarness(options: HarnessOptions): Promise<Harness> {
  const postgres = await startTestPostgres();
  const url = await postgres.createDatabase('project');
  const admin = new pg.Pool({ connectionString: url, max: 2 });
  admin.on('error', () => undefined);
  await admin.query(options.ddl);
  const hub = createFakeHub();
  const release = options.release(url);
  hub.releases.set(`${release.project}/${release.env}`, {
    connections: { main: { name: 'main', engine: 'postgres', db_url: url } },
    ...release,
  });
  const pools = createPools();
  const app = createBridgeApp({ hub, pools, ...(options.cache ? { cache: options.cache } : {}) });
  const request = async (path: string, init?: RequestInit) => readResult(await app.request(path, init));
  return {
    hub,
    pools,
    postgres,
    url,
    app,
    request,
    call: (path, params, headers = {}) =>
      request('/call', {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...headers },
        body: JSON.stringify(params === undefined ? { path } : { path, params }),
      }),
    sql: async (text, values = []) => (await admin.query(text, values)).rows,
    async checksum(table) {
      const quoted = `"${table.replaceAll('"', '""')}"`;
      const rows = (
        await admin.query(
          `SELECT count(*)::int AS n, md5(coalesce(string_agg(t::text, ',' ORDER BY t::text), '')) AS sum FROM ${quoted} t`,
        )
      ).rows as { n: number; sum: string }[];
      return `${rows[0]?.n}:${rows[0]?.sum}`;
    },
    async stop() {
      await pools.closeAll();
      await admin.end();
      await postgres.stop();
    },
  };
}

/** Headers for an API key `<id>.<secret>` registered on the fake Hub. */
export function addApiKey(
  hub: FakeHub,
  id: string,
  roles: string[],
  project = 'shop',
  env = 'dev',
): Record<string, string> {
  const secret = `${id}-secret`;
  hub.apiKeys.set(id, { secret, project, env, roles });
  return { 'x-santokit-api-key': `${id}.${secret}` };
}
