/**
 * Routes that exist only in the Hub's test mode (`STK_HUB_TEST_MODE=1`), for
 * states scenarios need and the product cannot reach by itself. Without test
 * mode they are not registered: 404 like any unknown route.
 */
import { encrypt } from 'paseto-ts/v4';
import { deriveAccessKeys } from '../../shared/tokens.ts';
import type { HubApp, HubDeps } from '../deps.ts';
import { badRequest, notFound } from '../../shared/http-error.ts';
import { readBody, str } from '../http.ts';
import { OPERATOR_TTL_SECONDS, issueOperatorToken } from '../operators.ts';
import { createOrReuseRelease, currentRelease, movePointer, type ReleaseBody } from '../releases.ts';
import { ACCESS_TTL_SECONDS, checkEndUserLogin, issueEndUserSession } from './endusers.ts';
import { requireEnv } from './lookup.ts';
import { checkOperatorLogin } from './operators.ts';
import { scopedBody } from './scope.ts';

/** How far in the past a test token's `exp` may lie: one day. */
const OLDEST_EXPIRY_MS = 86_400_000;

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** The body with `tables[table].columns[column]` set to `definition`, everything else shared. */
function withColumn(
  body: ReleaseBody,
  table: string,
  column: string,
  definition: Record<string, unknown>,
): ReleaseBody {
  const tables = body.schema.tables;
  const target = tables[table];
  if (!isRecord(target) || !Object.hasOwn(tables, table)) throw notFound(`table not found: ${table.slice(0, 64)}`);
  const columns = isRecord(target.columns) ? target.columns : {};
  return {
    ...body,
    schema: {
      ...body.schema,
      tables: { ...tables, [table]: { ...target, columns: { ...columns, [column]: definition } } },
    },
  };
}

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

export function registerTestControls(app: HubApp, deps: HubDeps): void {
  if (!deps.config.testMode) return;

  /**
   * An end-user login whose token lives `ttl_ms` (negative: `exp` already past), issued with the real key
   * exactly as `POST /api/endusers/login` issues it, for the same credentials: scenarios see a token expire
   * (AUTH-001) without waiting an hour.
   */
  app.post('/api/test/endusers/login', async (c) => {
    const body = await readBody(c);
    const ttlSeconds = testLifetime(body, ACCESS_TTL_SECONDS);
    const user = await checkEndUserLogin(deps.store, body);
    return c.json(issueEndUserSession(c, deps.config, user.project, user.env, user, ttlSeconds));
  });

  /**
   * A token no Hub route issues: `claims` encrypted as given with the first key of project/env, the footer
   * naming that key, project and env, so a scenario can show the Bridge refusing claims that disagree with
   * the footer or lack a usable `sub`, `roles` or `exp` (auth-credentials.md). Project admin.
   */
  app.post('/api/test/endusers/token', async (c) => {
    const { body, project, env } = await scopedBody(c, deps, 'admin');
    if (!isRecord(body.claims)) throw badRequest("field 'claims' must be an object");
    await requireEnv(deps.store, project, env);
    const [key] = deriveAccessKeys(deps.config.pasetoKeys, project, env);
    if (!key) throw new Error('no signing key');
    const footer = { kid: key.kid, project, env };
    const options = { footer, addIat: false, addExp: false, validatePayload: false };
    return c.json({ access_token: encrypt(`k4.local.${key.key}`, { ...body.claims }, options) });
  });

  /** An operator login whose token lives `ttl_ms`, otherwise as `POST /api/auth/login` (operator-rbac.md's expiry). */
  app.post('/api/test/auth/login', async (c) => {
    const body = await readBody(c);
    const ttlSeconds = testLifetime(body, OPERATOR_TTL_SECONDS);
    const email = await checkOperatorLogin(deps.store, body);
    return c.json({ token: issueOperatorToken(deps.config, email, ttlSeconds) });
  });

  /**
   * A release as a Hub knowing more column types would write it (SDK-002: a
   * client generator meeting a type it does not know): a copy of the current
   * release with one column definition stored as given, without validation
   * and without DDL, made current. Project admin.
   */
  app.post('/api/test/releases/column', async (c) => {
    const { body, operator, project, env } = await scopedBody(c, deps, 'admin');
    const table = str(body, 'table');
    const column = str(body, 'column');
    if (!isRecord(body.definition)) throw badRequest("field 'definition' must be an object");
    const current = await currentRelease(deps.store, project, env);
    if (!current) throw notFound('no current release');
    const next = withColumn(current.body, table, column, body.definition);
    const release = await createOrReuseRelease(deps.store, project, env, `${current.ref}+test`, next);
    await movePointer(deps.store, project, env, release.id, 'test', operator);
    return c.json({ ok: true, project, env, release_id: release.id });
  });
}
