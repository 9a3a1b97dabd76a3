/**
 * Tokens with a chosen lifetime, from the Hub's test-mode logins
 * (`POST /api/test/endusers/login`, `POST /api/test/auth/login`): the same
 * credentials and signing key as a real login, only `exp` is nearer (or
 * already past), so a scenario sees a token expire without waiting hours.
 */
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { expectStatus } from './assertions.ts';
import type { ScenarioContext } from './context.ts';

export interface TimedToken {
  readonly token: string;
  /** Epoch ms before which the token is certainly alive: the Hub stamped `exp` after the request left. */
  readonly aliveUntil: number;
  /** Epoch ms from which the token is certainly expired: `exp` was stamped before the answer arrived. */
  readonly deadFrom: number;
  /** The login answer's `Set-Cookie`, if any. */
  readonly setCookie: string | undefined;
}

async function timedLogin(
  context: ScenarioContext,
  path: string,
  body: Readonly<Record<string, unknown>>,
  field: string,
): Promise<TimedToken> {
  const ttl = body.ttl_ms as number;
  const sent = Date.now();
  const answer = await context.hub.post(path, body);
  const arrived = Date.now();
  expectStatus(answer, 200, `test-mode login with ttl_ms ${ttl}`);
  const token = (answer.json as Record<string, unknown> | undefined)?.[field];
  assert.equal(typeof token, 'string', `the answer has ${field}: ${answer.text.slice(0, 200)}`);
  return {
    token: token as string,
    aliveUntil: sent + ttl,
    deadFrom: arrived + ttl,
    setCookie: answer.headers['set-cookie'],
  };
}

/** An end user's access token living `ttlMs` (negative: `exp` already past), for an existing account. */
export function endUserTokenFor(
  context: ScenarioContext,
  account: { readonly project: string; readonly env: string; readonly email: string; readonly password: string },
  ttlMs: number,
): Promise<TimedToken> {
  const { project, env, email, password } = account;
  return timedLogin(
    context,
    '/api/test/endusers/login',
    { project, env, email, password, ttl_ms: ttlMs },
    'access_token',
  );
}

/** An operator token living `ttlMs` (negative: `exp` already past). */
export function operatorTokenFor(
  context: ScenarioContext,
  account: { readonly email: string; readonly password: string },
  ttlMs: number,
): Promise<TimedToken> {
  const { email, password } = account;
  return timedLogin(context, '/api/test/auth/login', { email, password, ttl_ms: ttlMs }, 'token');
}

/**
 * Asserts the moment is still inside the token's certain life, so a 200 just
 * seen was decided before `exp` (a machine too slow for the margin fails here,
 * naming why, instead of passing a boundary it never tested).
 */
export function expectStillAlive(token: TimedToken, what: string): void {
  const left = token.aliveUntil - Date.now();
  assert.ok(left > 0, `${what}: answered ${-left} ms after the token's certain life; the boundary was not observed`);
}

/** Waits until the token has certainly expired (aborted with the scenario). */
export async function waitUntilExpired(context: ScenarioContext, token: TimedToken): Promise<void> {
  const wait = token.deadFrom - Date.now() + 50;
  if (wait > 0) await sleep(wait, undefined, { signal: context.signal });
}

/** A test-mode token and the key ids its env lists, the signing one first. */
export interface MintedToken {
  readonly token: string;
  readonly kids: readonly string[];
}

/**
 * An end user's access token with exactly these claims, under the env's real
 * key (`POST /api/test/endusers/token`, test mode only): the first listed
 * key, or the listed key `kid` names (a token signed before a rotation).
 * `iat` and `exp` default to now and ten minutes on.
 */
export async function mintToken(
  context: ScenarioContext,
  target: { readonly project: string; readonly env: string },
  claims: Readonly<Record<string, unknown>>,
  kid?: string,
): Promise<MintedToken> {
  const now = Date.now();
  const body = {
    project: target.project,
    env: target.env,
    ...(kid === undefined ? {} : { kid }),
    claims: {
      projectId: target.project,
      envId: target.env,
      iat: new Date(now).toISOString(),
      exp: new Date(now + 600_000).toISOString(),
      ...claims,
    },
  };
  const minted = await context.hub.post('/api/test/endusers/token', body, { token: await context.operatorToken() });
  expectStatus(minted, 200, 'test-mode token with chosen claims');
  const answer = minted.json as { access_token?: unknown; kids?: unknown } | undefined;
  assert.equal(typeof answer?.access_token, 'string', `the answer has access_token: ${minted.text.slice(0, 200)}`);
  const kids = Array.isArray(answer?.kids) ? answer.kids.filter((item) => typeof item === 'string') : [];
  return { token: answer?.access_token as string, kids };
}

/**
 * A token with claims as given under the first key: for the states a real
 * login never produces, such as a `roles` claim without `authenticated`.
 */
export async function tokenWithClaims(
  context: ScenarioContext,
  target: { readonly project: string; readonly env: string },
  claims: Readonly<Record<string, unknown>>,
): Promise<string> {
  return (await mintToken(context, target, claims)).token;
}
