import assert from 'node:assert/strict';
import {
  bootstrapProject,
  defineScenario,
  endUserTokenFor,
  expectError,
  expectRows,
  expectStillAlive,
  signupAndLogin,
  waitUntilExpired,
} from '../kit/index.ts';
import type { Credentials, ScenarioContext } from '../kit/index.ts';

/** Long enough for a few calls on a loaded machine, short enough to wait out. */
const LIFE_MS = 3_000;

/** The four ways an end-user token reaches the Bridge: bearer or cookie, with or without hint headers. */
function carriers(project: string, token: string): { what: string; credentials: Credentials }[] {
  const hints = { project, env: 'dev' };
  const cookies = { [`stk_access_${project}_dev`]: token };
  return [
    { what: 'bearer with hints', credentials: { bearer: token, ...hints } },
    { what: 'bearer without hints', credentials: { bearer: token } },
    { what: 'cookie with hints', credentials: { cookies, ...hints } },
    { what: 'cookie without hints', credentials: { cookies } },
  ];
}

/**
 * `items` of the `logics_call` fixture grants select to `admin` and `authenticated` only, so a 200 also
 * shows the token made its bearer or cookie holder an end user (auth-credentials.md: new end users' roles).
 */
const select = (ctx: ScenarioContext, credentials: Credentials) =>
  ctx.bridge.call('db/items/select', { limit: 1 }, credentials);

async function expectAccepted(ctx: ScenarioContext, project: string, token: string, label: string): Promise<void> {
  for (const { what, credentials } of carriers(project, token)) {
    const answer = await select(ctx, credentials);
    assert.equal(answer.status, 200, `${label}, ${what}: ${answer.text.slice(0, 200)}`);
    expectRows(answer);
  }
}

async function expectRefused(ctx: ScenarioContext, project: string, token: string, label: string): Promise<void> {
  for (const { what, credentials } of carriers(project, token)) {
    const refused = await select(ctx, credentials);
    assert.equal(refused.status, 401, `${label}, ${what}: ${refused.text.slice(0, 200)}`);
    expectError(refused, 401, 'UNAUTHORIZED');
    assert.equal((refused.json as { data?: unknown }).data, undefined, `${label}, ${what}: no data`);
  }
}

export const tokenExpiry = defineScenario(
  'AUTH-001',
  'an access token is accepted until its exp and refused with 401 from then on, as bearer and as cookie',
  async (ctx) => {
    const { project } = await bootstrapProject(ctx, 'logics_call', { prefix: 'expiry' });
    const user = await signupAndLogin(ctx, project, 'dev');
    const account = { project, env: 'dev', email: user.email, password: user.password };

    const living = await endUserTokenFor(ctx, account, LIFE_MS);
    await expectAccepted(ctx, project, living.token, 'a token inside its life');
    expectStillAlive(living, 'the token inside its life');

    for (const ttl of [-60_000, 0]) {
      const dead = await endUserTokenFor(ctx, account, ttl);
      await expectRefused(ctx, project, dead.token, `a token whose exp is ${ttl} ms after its issue`);
    }

    await waitUntilExpired(ctx, living);
    await expectRefused(ctx, project, living.token, 'the same token once its exp passed');
    await expectAccepted(ctx, project, user.accessToken, 'the hour-long login token of the same user');
  },
);

export const claimChecks = defineScenario(
  'AUTH-001',
  'iat and exp are read in every RFC 3339 form; claims that disagree with the footer or lack a usable sub, roles or exp are refused, even under the real key',
  async (ctx) => {
    const { project } = await bootstrapProject(ctx, 'logics_call', { prefix: 'expiry' });
    const owner = await ctx.operatorToken();
    const now = Date.now();
    const good = {
      sub: 'a1b2c3d4-0000-4000-8000-000000000001',
      roles: ['authenticated', 'reader'],
      projectId: project,
      envId: 'dev',
      iat: new Date(now).toISOString(),
      exp: new Date(now + 600_000).toISOString(),
    };
    const mint = async (claims: Record<string, unknown>): Promise<string> => {
      const answer = await ctx.hub.post('/api/test/endusers/token', { project, env: 'dev', claims }, { token: owner });
      assert.equal(answer.status, 200, `test-mode token: ${answer.text.slice(0, 200)}`);
      return (answer.json as { access_token: string }).access_token;
    };
    await expectAccepted(ctx, project, await mint(good), 'claims as the Hub writes them');
    // auth-credentials.md: iat and exp are RFC 3339 times; its section 5.6 allows any number of second
    // fraction digits, a numeric offset and a lower-case t and z, so each form is read as the time it names.
    const inTokyo = (ms: number) => `${new Date(ms + 9 * 3_600_000).toISOString().slice(0, 19)}+09:00`;
    const rfc3339: [string, Record<string, unknown>][] = [
      ['iat with nine fraction digits', { ...good, iat: `${good.iat.slice(0, 19)}.123456789Z` }],
      ['iat and exp in lower case', { ...good, iat: good.iat.toLowerCase(), exp: good.exp.toLowerCase() }],
      ['iat and exp with a +09:00 offset', { ...good, iat: inTokyo(now), exp: inTokyo(now + 600_000) }],
    ];
    for (const [what, claims] of rfc3339) await expectAccepted(ctx, project, await mint(claims), what);
    const { sub: _sub, ...noSub } = good;
    const { exp: _exp, ...noExp } = good;
    const bad: [string, Record<string, unknown>][] = [
      ['projectId of another project', { ...good, projectId: `${project}x` }],
      ['envId of another env', { ...good, envId: 'prod' }],
      ['a numeric sub', { ...good, sub: 42 }],
      ['no sub', noSub],
      ['roles as a string', { ...good, roles: 'reader' }],
      ['an exp that is no date', { ...good, exp: 'tomorrow' }],
      ['no exp', noExp],
      ['an exp a minute past, written with a +09:00 offset', { ...good, exp: inTokyo(now - 60_000) }],
    ];
    for (const [what, claims] of bad) await expectRefused(ctx, project, await mint(claims), what);
  },
);
