/**
 * The steps most scenarios start with, done the way an operator does them:
 * with `stk` from a fixture project folder, and HTTP for end users.
 */
import assert from 'node:assert/strict';
import type { ScenarioContext } from './context.ts';
import type { ProjectDatabase } from './db.ts';
import type { Credentials } from './bridge.ts';
import { applyFolder } from './apply.ts';
import { expectStatus } from './assertions.ts';

export interface BootstrappedProject {
  readonly project: string;
  readonly env: string;
  readonly database: ProjectDatabase;
  /** The fixture folder `stk apply` ran in. */
  readonly dir: string;
}

export interface BootstrapOptions {
  readonly env?: string;
  readonly prefix?: string;
  readonly ref?: string;
}

/**
 * project → env → database → connection `main` → apply of the fixture folder,
 * straight through the Hub's routes (a `stk` start per step would cost a
 * process each); `stk` itself is what OPERATOR-001 and OPERATOR-003 prove.
 */
export async function bootstrapProject(
  context: ScenarioContext,
  fixture: string,
  options: BootstrapOptions = {},
): Promise<BootstrappedProject> {
  const env = options.env ?? 'dev';
  const project = context.uniqueName(options.prefix ?? fixture.replace(/[^a-z0-9]/g, '').slice(0, 12));
  const dir = context.fixture(fixture);
  await hubStep(context, '/api/projects', { project });
  const database = await addEnv(context, project, env);
  await applyFolder(context, { project, env, ref: options.ref ?? 'v1', dir });
  return { project, env, database, dir };
}

/** env → its own database → connection `main`. */
export async function addEnv(context: ScenarioContext, project: string, env: string): Promise<ProjectDatabase> {
  await hubStep(context, '/api/envs', { project, env });
  const database = await context.db.create(`stk_${project}_${env}`.slice(0, 63));
  await hubStep(context, '/api/connections/set', {
    project,
    env,
    name: 'main',
    engine: 'postgres',
    db_url: database.serviceUrl,
  });
  return database;
}

/** A project with one env and nothing else: no database, no connection, no release. */
export async function bareProject(context: ScenarioContext, prefix = 'bare', env = 'dev'): Promise<string> {
  const project = context.uniqueName(prefix);
  await hubStep(context, '/api/projects', { project });
  await hubStep(context, '/api/envs', { project, env });
  return project;
}

async function hubStep(context: ScenarioContext, path: string, body: Record<string, string>): Promise<void> {
  expectStatus(await context.hub.post(path, body, { token: await context.operatorToken() }), 200, `POST ${path}`);
}

/** An API key with `roles` (comma-separated) through the Hub's route; `stk apikey` is what OPERATOR-002 proves. */
export async function createApiKey(
  context: ScenarioContext,
  project: string,
  env: string,
  roles = 'admin',
  name = 'server',
): Promise<string> {
  const body = {
    project,
    env,
    name,
    roles: roles
      .split(',')
      .map((role) => role.trim())
      .filter(Boolean),
  };
  const response = await context.hub.post('/api/apikeys/create', body, { token: await context.operatorToken() });
  expectStatus(response, 200, 'API key create');
  const key = (response.json as { api_key?: unknown } | undefined)?.api_key;
  assert.equal(typeof key, 'string', `the answer has api_key: ${response.text.slice(0, 200)}`);
  return key as string;
}

/** The caller most scenarios act as: an `admin` key, sent with its project and env as routing hints. */
export async function adminCaller(
  context: ScenarioContext,
  target: { readonly project: string; readonly env: string },
): Promise<Credentials> {
  const { project, env } = target;
  return { apiKey: await createApiKey(context, project, env, 'admin'), project, env };
}

export interface EndUserSession {
  readonly email: string;
  readonly password: string;
  readonly accessToken: string;
  /** The end user's id (the token's subject). */
  readonly sub: string;
  /** The `Set-Cookie` header of the login response, if any. */
  readonly setCookie: string | undefined;
}

export async function signupAndLogin(
  context: ScenarioContext,
  project: string,
  env: string,
  email?: string,
  password = 'correct horse battery',
): Promise<EndUserSession> {
  const address = email ?? `${context.uniqueName('user')}@example.com`;
  const body = { project, env, email: address, password };
  expectStatus(await context.hub.post('/api/endusers/signup', body), 200, 'signup');
  const login = await context.hub.post('/api/endusers/login', body);
  expectStatus(login, 200, 'login');
  const accessToken = (login.json as { access_token?: unknown } | undefined)?.access_token;
  assert.equal(typeof accessToken, 'string', `login returns access_token: ${login.text}`);
  const sub = (login.json as { sub?: unknown } | undefined)?.sub;
  assert.equal(typeof sub, 'string', `login returns sub: ${login.text}`);
  return {
    email: address,
    password,
    accessToken: accessToken as string,
    sub: sub as string,
    setCookie: login.headers['set-cookie'],
  };
}
