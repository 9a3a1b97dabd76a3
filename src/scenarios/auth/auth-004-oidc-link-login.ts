import assert from 'node:assert/strict';
import {
  bareProject,
  bootstrapProject,
  createOidcBrowser,
  defineScenario,
  endUserTokenFor,
  expectError,
  expectRows,
  expectStatus,
  expectStillAlive,
  idpOf,
  IDP_CLIENTS,
  IDP_USERS,
  signInAtIdp,
} from '../kit/index.ts';
import type { BrowserHop, OidcBrowser, ScenarioContext } from '../kit/index.ts';

const APP = 'https://app.example.test/auth/callback';
const PASSWORD = 'correct horse battery';

interface FlowOptions {
  readonly mode: string;
  readonly provider?: string;
  readonly headers?: Readonly<Record<string, string>>;
  readonly redirectUri?: string;
  readonly extra?: Readonly<Record<string, string>>;
}

interface ToCallback {
  readonly browser: OidcBrowser;
  /** The provider URL the Hub's start redirected to. */
  readonly authorize: URL;
  /** The Hub callback URL the provider sent the browser back to (not opened yet). */
  readonly callback: string;
}

/** Registers a provider for project/dev; by default `idp` from discovery with the stack idp's main client. */
async function registerProvider(
  ctx: ScenarioContext,
  project: string,
  extra: Record<string, unknown> = {},
): Promise<Record<string, unknown>> {
  const body = {
    project,
    env: 'dev',
    name: 'idp',
    issuer: idpOf(ctx).issuer,
    client_id: IDP_CLIENTS.main.id,
    client_secret: IDP_CLIENTS.main.secret,
    redirect_uris: [APP],
    ...extra,
  };
  const created = await ctx.hub.post('/api/oidc/providers', body, { token: await ctx.operatorToken() });
  expectStatus(created, 201, `provider ${String(body.name)}`);
  return created.json as Record<string, unknown>;
}

async function signup(
  ctx: ScenarioContext,
  project: string,
  env = 'dev',
): Promise<{ token: string; sub: string; email: string }> {
  const email = `${ctx.uniqueName('user')}@example.com`;
  const answer = await ctx.hub.post('/api/endusers/signup', { project, env, email, password: PASSWORD });
  expectStatus(answer, 200, 'signup');
  const body = answer.json as { access_token: string; sub: string };
  return { token: body.access_token, sub: body.sub, email };
}

function start(ctx: ScenarioContext, browser: OidcBrowser, project: string, options: FlowOptions): Promise<BrowserHop> {
  const query = new URLSearchParams({
    mode: options.mode,
    project,
    env: 'dev',
    redirect_uri: options.redirectUri ?? APP,
    ...options.extra,
  });
  return browser.get(`${ctx.hub.baseUrl}/oidc/${options.provider ?? 'idp'}/start?${query}`, options.headers);
}

const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

async function toCallback(
  ctx: ScenarioContext,
  project: string,
  options: FlowOptions & { user?: { email: string; password: string }; tamper?: (url: URL) => void },
): Promise<ToCallback> {
  const browser = createOidcBrowser(ctx);
  const started = await start(ctx, browser, project, options);
  assert.equal(started.status, 302, `start answers 302: ${started.text.slice(0, 200)}`);
  const authorize = new URL(started.location ?? '');
  options.tamper?.(authorize);
  return {
    browser,
    authorize,
    callback: await signInAtIdp(ctx, browser, authorize.toString(), options.user ?? IDP_USERS.alice),
  };
}

/** A whole flow up to the app's redirect URI; returns its `exchange_code`. */
async function exchangeCodeOf(
  ctx: ScenarioContext,
  project: string,
  options: FlowOptions & { user?: { email: string; password: string } },
): Promise<string> {
  const { browser, callback } = await toCallback(ctx, project, options);
  const back = await browser.get(callback);
  assert.equal(back.status, 302, `the callback answers 302: ${back.text.slice(0, 200)}`);
  const target = new URL(back.location ?? '');
  assert.equal(`${target.origin}${target.pathname}`, APP, 'the callback returns to the app');
  const code = target.searchParams.get('exchange_code');
  assert.ok(code, 'the app receives an exchange_code');
  return code;
}

const exchange = (ctx: ScenarioContext, code: string, token?: string, provider = 'idp') =>
  ctx.hub.post(`/oidc/${provider}/exchange`, { exchange_code: code }, token === undefined ? {} : { token });

export const linkAndLogin = defineScenario(
  'AUTH-004',
  'an end user links a provider identity and logs in through it',
  async (ctx) => {
    const { project } = await bootstrapProject(ctx, 'basic');
    await registerProvider(ctx, project);
    const ana = await signup(ctx, project);
    const withCookie = await start(ctx, createOidcBrowser(ctx), project, {
      mode: 'link',
      headers: { cookie: `stk_access_${project}_dev=${ana.token}` },
    });
    assert.equal(withCookie.status, 302, 'link start with only the access cookie');

    const { authorize } = await toCallback(ctx, project, { mode: 'link', headers: bearer(ana.token) });
    for (const key of ['state', 'nonce', 'code_challenge'])
      assert.ok(authorize.searchParams.get(key), `the provider URL carries ${key}`);
    assert.equal(authorize.searchParams.get('code_challenge_method'), 'S256');
    const code = await exchangeCodeOf(ctx, project, { mode: 'link', headers: bearer(ana.token) });
    expectError(await exchange(ctx, code), 401, 'UNAUTHORIZED');
    const linked = await exchange(ctx, code, ana.token);
    expectStatus(linked, 200, 'link exchange');
    assert.deepEqual(linked.json, { linked: true, provider: 'idp' });
    expectError(await exchange(ctx, code, ana.token), 400, 'BAD_REQUEST');

    const login = await exchange(ctx, await exchangeCodeOf(ctx, project, { mode: 'login' }));
    expectStatus(login, 200, 'login exchange');
    const session = login.json as { access_token: string; sub: string; provider: string };
    assert.match(session.access_token, /^v4\.local\./);
    assert.equal(session.sub, ana.sub, 'the token is for the linked user');
    assert.equal(session.provider, 'idp');
    assert.ok(
      Array.isArray(
        expectRows(
          await ctx.bridge.call('db/users/select', { limit: 1 }, { bearer: session.access_token, project, env: 'dev' }),
        ),
      ),
    );
  },
);

export const flowRefusals = defineScenario(
  'AUTH-004',
  'bad starts, tampered or replayed states and dead exchange codes are refused',
  async (ctx) => {
    const project = await bareProject(ctx, 'oidc');
    await registerProvider(ctx, project);
    const browser = createOidcBrowser(ctx);
    const refuse = async (options: FlowOptions, status: number) => {
      const answer = await start(ctx, browser, project, options);
      assert.equal(answer.status, status, `${JSON.stringify(options)}: ${answer.text.slice(0, 200)}`);
      assert.equal(answer.location, undefined, 'no redirect to the provider');
    };
    await refuse({ mode: 'link' }, 401);
    await refuse({ mode: 'login', redirectUri: 'https://evil.example.test/cb' }, 400);
    await refuse({ mode: 'steal' }, 400);
    await refuse({ mode: 'login', provider: 'nosuch' }, 404);

    const { browser: tab, callback } = await toCallback(ctx, project, { mode: 'login' });
    const state = new URL(callback).searchParams.get('state') ?? '';
    const changed = `${state.slice(0, -1)}${state.endsWith('a') ? 'b' : 'a'}`;
    const tampered = await tab.get(callback.replace(`state=${state}`, `state=${changed}`));
    assert.equal(tampered.status, 400, 'a state changed by one character');
    assert.equal((await tab.get(callback)).status, 302, 'the untouched callback works');
    const replay = await tab.get(callback);
    assert.equal(replay.status, 400, 'the same callback URL a second time');
    assert.equal(replay.location, undefined);

    expectError(await exchange(ctx, 'ekc_invalid'), 400, 'BAD_REQUEST');
    const expired = await exchangeCodeOf(ctx, project, { mode: 'login', extra: { test_exchange_ttl_ms: '0' } });
    expectError(await exchange(ctx, expired), 400, 'BAD_REQUEST');
  },
);

export const linkConflicts = defineScenario(
  'AUTH-004',
  'a linked identity cannot be linked again elsewhere, and an unlinked one cannot log in',
  async (ctx) => {
    const project = await bareProject(ctx, 'oidc');
    await registerProvider(ctx, project);
    const ana = await signup(ctx, project);
    const ben = await signup(ctx, project);
    expectStatus(
      await exchange(ctx, await exchangeCodeOf(ctx, project, { mode: 'link', headers: bearer(ana.token) }), ana.token),
      200,
      'A links',
    );
    const stolen = await exchangeCodeOf(ctx, project, { mode: 'link', headers: bearer(ben.token) });
    expectError(await exchange(ctx, stolen, ben.token), 409, 'CONFLICT');
    const login = await exchange(ctx, await exchangeCodeOf(ctx, project, { mode: 'login' }));
    expectStatus(login, 200, 'A still logs in through the provider');
    assert.equal((login.json as { sub: string }).sub, ana.sub);
    const benLogin = await ctx.hub.post('/api/endusers/login', {
      project,
      env: 'dev',
      email: ben.email,
      password: PASSWORD,
    });
    expectStatus(benLogin, 200, "B's account is unchanged");
    assert.equal((benLogin.json as { sub: string }).sub, ben.sub);

    const unlinked = await exchange(ctx, await exchangeCodeOf(ctx, project, { mode: 'login', user: IDP_USERS.bob }));
    const body = expectError(unlinked, 401, 'UNAUTHORIZED');
    assert.equal(body.message, 'provider identity is not linked');
    const fresh = await ctx.hub.post('/api/endusers/signup', {
      project,
      env: 'dev',
      email: IDP_USERS.bob.email,
      password: PASSWORD,
    });
    expectStatus(fresh, 200, 'no end user was created for the provider user');
  },
);

export const idTokenChecks = defineScenario(
  'AUTH-004',
  'ID tokens for another audience, from another issuer or with another nonce are refused',
  async (ctx) => {
    const project = await bareProject(ctx, 'oidc');
    const main = await registerProvider(ctx, project);
    await registerProvider(ctx, project, {
      name: 'misaud',
      client_id: IDP_CLIENTS.misaudience.id,
      client_secret: IDP_CLIENTS.misaudience.secret,
    });
    const endpoints = {
      authorization_endpoint: main.authorization_endpoint,
      token_endpoint: main.token_endpoint,
      jwks_uri: main.jwks_uri,
    };
    await registerProvider(ctx, project, { name: 'elsewhere', issuer: `${idpOf(ctx).issuer}/elsewhere`, ...endpoints });
    const cases: { what: string; options: FlowOptions & { tamper?: (url: URL) => void } }[] = [
      { what: 'wrong audience', options: { mode: 'login', provider: 'misaud' } },
      { what: 'wrong issuer', options: { mode: 'login', provider: 'elsewhere' } },
      {
        what: 'nonce changed in transit',
        options: { mode: 'login', tamper: (url) => url.searchParams.set('nonce', 'n-someone-else') },
      },
    ];
    for (const { what, options } of cases) {
      const { browser, callback } = await toCallback(ctx, project, options);
      const answer = await browser.get(callback);
      assert.equal(answer.status, 401, `${what}: ${answer.text.slice(0, 200)}`);
      assert.ok(answer.text.includes('"UNAUTHORIZED"'), `${what}: an UNAUTHORIZED envelope`);
      assert.equal(answer.location, undefined, `${what}: no exchange code reaches the app`);
    }
  },
);

export const expiredSessionsAndStates = defineScenario(
  'AUTH-004',
  'an expired session or one of another project/env cannot start or finish a link, and an expired state is refused',
  async (ctx) => {
    const project = await bareProject(ctx, 'oidc');
    await registerProvider(ctx, project);
    const ana = await signup(ctx, project);
    const account = { project, env: 'dev', email: ana.email, password: PASSWORD };
    const cookie = (token: string) => ({ cookie: `stk_access_${project}_dev=${token}` });

    const living = await endUserTokenFor(ctx, account, 3_000);
    const started = await start(ctx, createOidcBrowser(ctx), project, { mode: 'link', headers: bearer(living.token) });
    assert.equal(started.status, 302, `link start inside the token's life: ${started.text.slice(0, 200)}`);
    expectStillAlive(living, 'the link start');

    const dead = (await endUserTokenFor(ctx, account, -60_000)).token;
    const elsewhere = await bareProject(ctx, 'oidc');
    const owner = { token: await ctx.operatorToken() };
    expectStatus(await ctx.hub.post('/api/envs', { project, env: 'prod' }, owner), 200, 'env prod');
    const foreign = [(await signup(ctx, elsewhere)).token, (await signup(ctx, project, 'prod')).token];
    const sessions = [
      ['an expired bearer', bearer(dead)],
      ['an expired cookie', cookie(dead)],
      ['a bearer of another project', bearer(foreign[0] ?? '')],
      ['a cookie named for P holding a token of another project', cookie(foreign[0] ?? '')],
      ['a bearer of another env', bearer(foreign[1] ?? '')],
      ['an operator token', bearer(owner.token)],
    ] as const;
    for (const [what, headers] of sessions) {
      const refused = await start(ctx, createOidcBrowser(ctx), project, { mode: 'link', headers });
      assert.equal(refused.status, 401, `link start with ${what}: ${refused.text.slice(0, 200)}`);
      assert.equal(refused.location, undefined, 'no redirect to the provider');
    }

    const code = await exchangeCodeOf(ctx, project, { mode: 'link', headers: bearer(ana.token) });
    for (const token of [dead, ...foreign]) expectError(await exchange(ctx, code, token), 401, 'UNAUTHORIZED');
    const linked = await exchange(ctx, code, ana.token);
    expectStatus(linked, 200, 'the code refused to the expired session still links with a live one');
    assert.deepEqual(linked.json, { linked: true, provider: 'idp' });

    const { browser, callback } = await toCallback(ctx, project, { mode: 'login', extra: { test_state_ttl_ms: '0' } });
    const late = await browser.get(callback);
    assert.equal(late.status, 400, `the callback of an expired state: ${late.text.slice(0, 200)}`);
    assert.ok(late.text.includes('"BAD_REQUEST"'), 'a BAD_REQUEST envelope');
    assert.equal(late.location, undefined, 'no exchange code reaches the app');
  },
);
