/**
 * Test-mode routes for tokens (`STK_HUB_TEST_MODE=1`, registered by
 * test-controls.ts): logins whose tokens live a chosen time, and a token with
 * claims as given, so scenarios reach expired and inconsistent tokens that a
 * real Hub issues only after hours, or never. Every token is encrypted with
 * the real key; none lives longer than a real one.
 */
import { encrypt } from 'paseto-ts/v4';
import { badRequest } from '../../shared/http-error.ts';
import { deriveAccessKeys, type AccessKey } from '../../shared/tokens.ts';
import type { HubApp, HubDeps } from '../deps.ts';
import { readBody } from '../http.ts';
import { OPERATOR_TTL_SECONDS, issueOperatorToken } from '../operators.ts';
import { ACCESS_TTL_SECONDS, checkEndUserLogin, issueEndUserSession } from './endusers.ts';
import { requireEnv } from './lookup.ts';
import { checkOperatorLogin } from './operators.ts';
import { scopedBody } from './scope.ts';

/** How far in the past a test token's `exp` may lie: one day. */
const OLDEST_EXPIRY_MS = 86_400_000;

export const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * `ttl_ms` of a test login, in seconds: an integer from a day in the past up to the real lifetime,
 * so a test token can be already expired or die soon, and never outlive a real one.
 */
function testLifetime(body: Record<string, unknown>, maxSeconds: number): number {
  const value = body.ttl_ms;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < -OLDEST_EXPIRY_MS || value > maxSeconds * 1000)
    throw badRequest(`field 'ttl_ms' must be an integer from ${-OLDEST_EXPIRY_MS} to ${maxSeconds * 1000}`);
  return value / 1000;
}

/** The key `kid` names among those listed, or the first (signing) key when `kid` is absent. */
function chosenKey(keys: readonly AccessKey[], kid: unknown): AccessKey {
  if (kid !== undefined && typeof kid !== 'string') throw badRequest("field 'kid' must be a string");
  const key = kid === undefined ? keys[0] : keys.find((listed) => listed.kid === kid);
  if (!key) throw badRequest(`field 'kid' names no key listed in STK_PASETO_KEYS`);
  return key;
}

/** Called by `registerTestControls`, so only in test mode. */
export function registerTestTokenControls(app: HubApp, deps: HubDeps): void {
  /**
   * An end-user login whose token lives `ttl_ms` (negative: `exp` already past), issued with the real key
   * exactly as `POST /api/endusers/login` issues it, for the same credentials: scenarios see a token expire
   * (AUTH-001) without waiting an hour.
   */
  app.post('/api/test/endusers/login', async (c) => {
    const body = await readBody(c);
    const ttlSeconds = testLifetime(body, ACCESS_TTL_SECONDS);
    const user = await checkEndUserLogin(deps, body);
    return c.json(issueEndUserSession(c, deps.config, user.project, user.env, user, ttlSeconds));
  });

  /**
   * A token no Hub route issues: `claims` encrypted as given with a listed key of project/env (the first, or
   * the one `kid` names, as a token signed before a rotation), the footer naming that key, project and env, so
   * a scenario can show the Bridge refusing claims that disagree with the footer or lack a usable `sub`,
   * `roles` or `exp`, and accepting every listed key (auth-credentials.md). The answer's `kids` are the
   * listed key ids, signing first (ids only, never key material). Project admin.
   */
  app.post('/api/test/endusers/token', async (c) => {
    const { body, project, env } = await scopedBody(c, deps, 'admin');
    if (!isRecord(body.claims)) throw badRequest("field 'claims' must be an object");
    await requireEnv(deps.store, project, env);
    const keys = deriveAccessKeys(deps.config.pasetoKeys, project, env);
    const key = chosenKey(keys, body.kid);
    const footer = { kid: key.kid, project, env };
    const options = { footer, addIat: false, addExp: false, validatePayload: false };
    const kids = keys.map((listed) => listed.kid);
    return c.json({ access_token: encrypt(`k4.local.${key.key}`, { ...body.claims }, options), kids });
  });

  /** An operator login whose token lives `ttl_ms`, otherwise as `POST /api/auth/login` (operator-rbac.md's expiry). */
  app.post('/api/test/auth/login', async (c) => {
    const body = await readBody(c);
    const ttlSeconds = testLifetime(body, OPERATOR_TTL_SECONDS);
    const email = await checkOperatorLogin(deps, body);
    return c.json({ token: issueOperatorToken(deps.config, email, ttlSeconds) });
  });
}
