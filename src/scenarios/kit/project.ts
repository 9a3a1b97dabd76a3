/**
 * The steps most scenarios start with, done the way an operator does them:
 * with `stk` from a fixture project folder, and HTTP for end users.
 */
import assert from 'node:assert/strict';
import type { ScenarioContext } from './context.ts';
import type { ProjectDatabase } from './db.ts';
import { expectExit, expectStatus } from './assertions.ts';

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

/** project create → env create → database → connections set `main` → apply. */
export async function bootstrapProject(context: ScenarioContext, fixture: string, options: BootstrapOptions = {}): Promise<BootstrappedProject> {
  await context.operatorToken();
  const env = options.env ?? 'dev';
  const project = context.uniqueName(options.prefix ?? fixture.replace(/[^a-z0-9]/g, '').slice(0, 12));
  const dir = context.fixture(fixture);
  expectExit(await context.stk(['project', 'create', project]), 0);
  const database = await addEnv(context, project, env);
  expectExit(await context.stk(['apply', '--project', project, '--env', env, '--ref', options.ref ?? 'v1'], { cwd: dir }), 0);
  return { project, env, database, dir };
}

/** env create → its own database → connections set `main`. */
export async function addEnv(context: ScenarioContext, project: string, env: string): Promise<ProjectDatabase> {
  expectExit(await context.stk(['env', 'create', '--project', project, env]), 0);
  const database = await context.db.create(`stk_${project}_${env}`.slice(0, 63));
  const set = await context.stk(['connections', 'set', '--project', project, '--env', env, '--name', 'main', '--engine', 'postgres', '--db-url', database.serviceUrl]);
  expectExit(set, 0);
  return database;
}

const API_KEY_LINE = /API Key \(store securely\): (\S+)/;

export async function createApiKey(context: ScenarioContext, project: string, env: string, roles = 'admin', name = 'server'): Promise<string> {
  const result = await context.stk(['apikey', 'create', '--project', project, '--env', env, '--name', name, '--roles', roles]);
  expectExit(result, 0);
  const key = API_KEY_LINE.exec(result.stdout)?.[1];
  assert.ok(key, `no 'API Key (store securely): …' line in: ${result.stdout}`);
  return key;
}

export interface EndUserSession {
  readonly email: string;
  readonly password: string;
  readonly accessToken: string;
  /** The `Set-Cookie` header of the login response, if any. */
  readonly setCookie: string | undefined;
}

export async function signupAndLogin(context: ScenarioContext, project: string, env: string, email?: string, password = 'correct horse battery'): Promise<EndUserSession> {
  const address = email ?? `${context.uniqueName('user')}@example.com`;
  const body = { project, env, email: address, password };
  expectStatus(await context.hub.post('/api/endusers/signup', body), 200, 'signup');
  const login = await context.hub.post('/api/endusers/login', body);
  expectStatus(login, 200, 'login');
  const accessToken = (login.json as { access_token?: unknown } | undefined)?.access_token;
  assert.equal(typeof accessToken, 'string', `login returns access_token: ${login.text}`);
  return { email: address, password, accessToken: accessToken as string, setCookie: login.headers['set-cookie'] };
}
