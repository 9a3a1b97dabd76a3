/**
 * What the Hub's route tests share: a real PostgreSQL, an app answering
 * `app.request` without a socket, the bootstrap owner's token, and helpers
 * that build projects, envs, connections and operators with given roles.
 * Every response text is kept, so security tests can grep all of them.
 */
import assert from 'node:assert/strict';
import { after, before } from 'node:test';
import pg from 'pg';
import { startTestPostgres, type TestPostgres } from '../testing/postgres.ts';
import { createHubApp } from './app.ts';
import { readConfig } from './config.ts';
import { createSealer } from './crypto.ts';
import type { HubApp, HubDeps } from './deps.ts';
import { ensureBootstrapOperator } from './routes/operators.ts';
import { openStore } from './store.ts';

export const TEST_ENV = {
  STK_PASETO_KEYS: 'k1:paseto-secret-for-tests-0001',
  STK_SECRET_KEY: 'seal-key-for-tests-0001',
  STK_SERVICE_TOKEN: 'svc-token-for-tests-0001',
  STK_OPERATOR_PASSWORD: 'owner-password-0001',
} as const;

/** A JSON value read loosely: every member access yields another loose value (or undefined). */
export interface Loose {
  readonly [key: string]: Loose | undefined;
}

export interface Reply {
  readonly status: number;
  readonly text: string;
  readonly json: Loose | undefined;
  readonly headers: Headers;
}

/** The body as a list (a bare JSON array), or a failed assertion. */
export function items(reply: Reply): Loose[] {
  const parsed: unknown = reply.text ? JSON.parse(reply.text) : undefined;
  assert.ok(Array.isArray(parsed), `expected a JSON array: ${reply.text}`);
  return parsed as Loose[];
}

export interface CallOptions {
  readonly token?: string | undefined;
  readonly headers?: Record<string, string>;
}

export interface Hub {
  readonly app: HubApp;
  readonly deps: HubDeps;
  readonly postgres: TestPostgres;
  /** The bootstrap owner's operator token. */
  readonly owner: string;
  /** Every response body (with its Set-Cookie) seen so far, for secret greps. */
  readonly seen: string[];
  /** Every line the Hub logged. */
  readonly logs: string[];
  call(method: string, path: string, body?: unknown, options?: CallOptions): Promise<Reply>;
  /** A unique lower-case name with the prefix. */
  unique(prefix: string): string;
  close(): Promise<void>;
}

export async function startHub(env: Record<string, string> = {}): Promise<Hub> {
  const postgres = await startTestPostgres();
  const config = readConfig({ ...TEST_ENV, STK_HUB_DB_URL: await postgres.createDatabase('hub_state'), ...env });
  const store = await openStore(config.databaseUrl);
  const logs: string[] = [];
  const deps: HubDeps = { store, config, sealer: createSealer(config.secretKey), log: (line) => void logs.push(line) };
  await ensureBootstrapOperator(deps);
  const app = createHubApp(deps);
  const seen: string[] = [];
  let counter = 0;
  const call: Hub['call'] = async (method, path, body, options = {}) => {
    const headers: Record<string, string> = {
      ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
      ...options.headers,
    };
    if (options.token !== undefined) headers.authorization = `Bearer ${options.token}`;
    const response = await app.request(path, {
      method,
      headers,
      ...(body !== undefined ? { body: typeof body === 'string' ? body : JSON.stringify(body) } : {}),
    });
    const text = await response.text();
    seen.push(`${response.headers.get('set-cookie') ?? ''}\n${text}`);
    let json: Loose | undefined;
    try {
      json = text ? (JSON.parse(text) as Loose) : undefined;
    } catch {
      json = undefined;
    }
    return { status: response.status, text, json, headers: response.headers };
  };
  const login = await call('POST', '/api/auth/login', {
    email: 'owner@example.com',
    password: TEST_ENV.STK_OPERATOR_PASSWORD,
  });
  assert.equal(login.status, 200, login.text);
  return {
    app,
    deps,
    postgres,
    owner: String(login.json?.token),
    seen,
    logs,
    call,
    unique: (prefix) => `${prefix}${(counter += 1)}`,
    close: async () => {
      await store.close();
      await postgres.stop();
    },
  };
}

/**
 * One Hub for the tests of the enclosing `describe` (of the whole file when
 * called at its top level): started before the first of them and closed after
 * the last. The returned function gives that Hub inside a test.
 */
export function hubPerSuite(env: Record<string, string> = {}): () => Hub {
  let hub: Hub | undefined;
  before(async () => {
    hub = await startHub(env);
  });
  after(() => hub?.close());
  return () => {
    assert.ok(hub, 'the Hub of this suite has started');
    return hub;
  };
}

/** Asserts status, envelope code, and that requestId equals X-Request-Id. */
export function expectError(reply: Reply, status: number, code: string, message?: RegExp): void {
  assert.equal(reply.status, status, reply.text);
  assert.equal(reply.json?.error?.code, code, reply.text);
  assert.equal(typeof reply.json?.error?.message, 'string');
  assert.equal(reply.json?.error?.requestId, reply.headers.get('x-request-id'));
  if (message) assert.match(String(reply.json?.error?.message), message);
}

export function expectOk(reply: Reply, what = ''): Loose {
  assert.equal(reply.status, 200, `${what}: ${reply.text}`);
  return reply.json ?? {};
}

export interface TestProject {
  readonly project: string;
  /** Database URL per env, for out-of-band SQL. */
  readonly urls: Readonly<Record<string, string>>;
}

/** A project with the given envs, each with its own database as connection `main`. */
export async function createProject(hub: Hub, envs: readonly string[] = ['dev'], prefix = 'p'): Promise<TestProject> {
  const project = hub.unique(prefix);
  expectOk(await hub.call('POST', '/api/projects', { project }, { token: hub.owner }), 'project create');
  const urls: Record<string, string> = {};
  for (const env of envs) {
    expectOk(await hub.call('POST', '/api/envs', { project, env }, { token: hub.owner }), 'env create');
    urls[env] = await hub.postgres.createDatabase(`db_${project}_${env}`);
    const set = { project, env, name: 'main', engine: 'postgres', db_url: urls[env] };
    expectOk(await hub.call('POST', '/api/connections/set', set, { token: hub.owner }), 'connection set');
  }
  return { project, urls };
}

/** A new operator account and its token (no membership). */
export async function createOperator(hub: Hub, prefix = 'op'): Promise<{ email: string; token: string }> {
  const email = `${hub.unique(prefix)}@example.com`;
  expectOk(await hub.call('POST', '/api/auth/signup', { email, password: 'operator-password' }), 'operator signup');
  const login = expectOk(
    await hub.call('POST', '/api/auth/login', { email, password: 'operator-password' }),
    'operator login',
  );
  return { email, token: String(login.token) };
}

/** An operator with an active project role (or org role when `project` is undefined). */
export async function operatorWithRole(
  hub: Hub,
  project: string | undefined,
  role: string,
): Promise<{ email: string; token: string }> {
  const operator = await createOperator(hub, role);
  const path = project === undefined ? '/api/org/members/set-role' : '/api/project/members/set-role';
  expectOk(await hub.call('POST', path, { project, user: operator.email, role }, { token: hub.owner }), 'set-role');
  return operator;
}

/** Runs SQL in a project database. */
export async function sql<Row extends Record<string, unknown> = Record<string, unknown>>(
  url: string,
  text: string,
  values: unknown[] = [],
): Promise<Row[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query<Row>(text, values)).rows;
  } finally {
    await client.end();
  }
}

export const USERS_V1 = {
  file: 'schema/users.yaml',
  content: `version: 1
tables:
  users:
    id: { name: id, generate: ulid }
    columns:
      email: { type: string, unique: true }
      name: { type: string, nullable: true }
      created_at: { type: timestamp, default: now }
`,
};

export const PERMISSIONS_V1 = `tables:
  users:
    select: { roles: [admin, reader] }
    insert: { roles: [admin] }
`;
