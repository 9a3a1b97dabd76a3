/**
 * The exact forms of the credentials the Bridge reads (auth-credentials.md):
 * the Cookie header's grammar (RFC 6265 §4.2.1: `name=value` pairs split by
 * `;`, a value optionally wrapped in double quotes), the `Bearer <token>`
 * form, the 403 that names which credential belongs elsewhere, and the
 * anonymous caller's empty identity.
 */
import assert from 'node:assert/strict';
import {
  applyFolder,
  bootstrapProject,
  createApiKey,
  defineScenario,
  expectError,
  expectRows,
  readProjectFolder,
  signupAndLogin,
} from '../kit/index.ts';
import type { Credentials, ScenarioContext } from '../kit/index.ts';

interface Tenant {
  readonly project: string;
  readonly token: string;
  readonly apiKey: string;
}

/** `items` of `logics_call` is selectable by `admin` and `authenticated` only: a 200 means an end user was seen. */
async function tenant(ctx: ScenarioContext): Promise<Tenant> {
  const { project } = await bootstrapProject(ctx, 'logics_call', { prefix: 'forms' });
  const user = await signupAndLogin(ctx, project, 'dev');
  return { project, token: user.accessToken, apiKey: await createApiKey(ctx, project, 'dev', 'admin') };
}

const selectItems = (ctx: ScenarioContext, credentials: Credentials) =>
  ctx.bridge.call('db/items/select', { limit: 1 }, credentials);

async function expectAnswer(ctx: ScenarioContext, credentials: Credentials, status: 200 | 401, what: string) {
  const answer = await selectItems(ctx, credentials);
  assert.equal(answer.status, status, `${what}: ${answer.text.slice(0, 200)}`);
  if (status === 200) expectRows(answer);
  else expectError(answer, 401, 'UNAUTHORIZED');
}

export const cookieGrammar = defineScenario(
  'AUTH-003',
  'a double-quoted cookie value is the token inside; a fragment without "=" is no cookie; an altered value is refused',
  async (ctx) => {
    const a = await tenant(ctx);
    const name = `stk_access_${a.project}_dev`;
    const cookie = (value: string): Credentials => ({ headers: { cookie: value } });
    await expectAnswer(ctx, cookie(`${name}="${a.token}"`), 200, 'the token in double quotes');
    // A pair needs '=': the bare word is not a second stk_access_* cookie, so the single real one is used.
    await expectAnswer(ctx, cookie(`${name}=${a.token}; stk_access_flag`), 200, 'a fragment without "="');
    await expectAnswer(ctx, cookie(`stk_access_flag; ${name}=${a.token}`), 200, 'a leading fragment without "="');
    const [version, ...rest] = a.token.split('.');
    // Quotes that do not wrap the whole value are part of it: the value is no longer the token.
    await expectAnswer(ctx, cookie(`${name}=${version}."${rest.join('.')}"`), 401, 'quotes inside the value');
    await expectAnswer(ctx, cookie(`${name}="${a.token}"=`), 401, 'a quoted token followed by more text');
  },
);

export const bearerFormAndMismatchMessages = defineScenario(
  'AUTH-003',
  'text after the bearer token is refused; a 403 for another project/env names the credential chosen',
  async (ctx) => {
    const a = await tenant(ctx);
    // Santokit's Bridge takes everything after "Bearer " as the token, so trailing text makes it fail to verify.
    const trailing = { headers: { authorization: `Bearer ${a.token} ${a.token}` } };
    await expectAnswer(ctx, trailing, 401, 'a second word after the token');
    await expectAnswer(ctx, { headers: { authorization: `Bearer ${a.token} x` } }, 401, 'text after the token');
    // Santokit's Bridge answers "API key context mismatch" and "Access token context mismatch".
    const other = { project: `${a.project}-other`, env: 'dev' };
    const keyMismatch = expectError(await selectItems(ctx, { apiKey: a.apiKey, ...other }), 403, 'FORBIDDEN');
    assert.match(keyMismatch.message, /api key/i, 'the message names the API key');
    const tokenMismatch = expectError(await selectItems(ctx, { bearer: a.token, ...other }), 403, 'FORBIDDEN');
    assert.match(tokenMismatch.message, /access token/i, 'the message names the access token');
  },
);

const ANONYMOUS_ECHO = ['---', 'auth: public', '---', 'SELECT :auth.sub AS sub, :auth.roles AS roles', ''].join('\n');

export const anonymousIdentity = defineScenario(
  'AUTH-003',
  'with hints and no credential the caller is anonymous, with sub "" and no roles',
  async (ctx) => {
    const { project, dir } = await bootstrapProject(ctx, 'logics_call', { prefix: 'anon' });
    const logics = { ...readProjectFolder(dir).logics, anonymous_echo: ANONYMOUS_ECHO };
    await applyFolder(ctx, { project, env: 'dev', ref: 'v2', dir }, { logics });
    const rows = expectRows(await ctx.bridge.call('logics/anonymous_echo', undefined, { project, env: 'dev' }));
    assert.deepEqual(rows, [{ sub: '', roles: [] }]);
  },
);

export const cookieNameClash = defineScenario(
  'AUTH-003',
  'a cookie name that two project/env pairs share still binds the token to the hinted context',
  async (ctx) => {
    // Names may hold '_', so stk_access_<P>_a_b names both P/a_b and P_a/b.
    const { project } = await bootstrapProject(ctx, 'logics_call', { prefix: 'clash', env: 'a_b' });
    const twin = `${project}_a`;
    const token = { token: await ctx.operatorToken() };
    for (const [path, body] of [
      ['/api/projects', { project: twin }],
      ['/api/envs', { project: twin, env: 'b' }],
    ] as const)
      assert.equal((await ctx.hub.post(path, body, token)).status, 200, `${path} for ${twin}`);
    const own = await signupAndLogin(ctx, project, 'a_b');
    const other = await signupAndLogin(ctx, twin, 'b');
    const name = `stk_access_${project}_a_b`;
    assert.equal(name, `stk_access_${twin}_b`);
    const hints = { project, env: 'a_b' };
    await expectAnswer(ctx, { cookies: { [name]: own.accessToken }, ...hints }, 200, 'the token of the hinted context');
    const refused = await selectItems(ctx, { cookies: { [name]: other.accessToken }, ...hints });
    expectError(refused, 403, 'FORBIDDEN');
    assert.equal((refused.json as { data?: unknown }).data, undefined);
  },
);

export const duplicateCookieNames = defineScenario(
  'AUTH-003',
  'one cookie name sent twice with different values is refused, with or without hints; the same value twice is one cookie',
  async (ctx) => {
    const a = await tenant(ctx);
    const other = await signupAndLogin(ctx, a.project, 'dev');
    const name = `stk_access_${a.project}_dev`;
    const hints = { project: a.project, env: 'dev' };
    const cookie = (value: string, withHints = false): Credentials => ({
      headers: { cookie: value },
      ...(withHints ? hints : {}),
    });
    // Two valid tokens of this very context: either could be the caller's, so neither is used.
    const twice = `${name}=${a.token}; ${name}=${other.accessToken}`;
    await expectAnswer(ctx, cookie(twice), 401, 'two values, no hints');
    await expectAnswer(ctx, cookie(twice, true), 401, 'two values, hints naming the cookie');
    await expectAnswer(ctx, cookie(`${name}=garbage; ${name}=${a.token}`, true), 401, 'a planted value first');
    await expectAnswer(ctx, cookie(`${name}=${a.token}; ${name}="${a.token}"`), 200, 'the same token twice');
  },
);
