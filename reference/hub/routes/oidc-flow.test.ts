/** AUTH-004 against a real identity provider started in-process: link, login, and every refusal of the flow. */
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, test } from 'node:test';
import { createIdp } from '../../idp/app.ts';
import { createHubApp } from '../app.ts';
import { readIdpConfig } from '../../idp/config.ts';
import { createTestBrowser, signInAtProvider, type TestBrowser } from '../../idp/test-browser.ts';
import { createProject, expectError, expectOk, startHub, type Hub } from '../test-kit.ts';

let hub: Hub;
let idpServer: Server;
let issuer = '';
const APP = 'https://app.example.test/auth/callback';
const HUB = 'http://localhost';

interface FlowOptions {
  readonly mode: 'login' | 'link';
  readonly provider?: string;
  readonly headers?: Record<string, string>;
  readonly email?: string;
  readonly extra?: string;
  /** Changes the provider URL before the browser opens it. */
  readonly tamper?: (url: URL) => void;
}

function browser(): TestBrowser {
  return createTestBrowser({ [HUB]: (request) => hub.app.request(request) });
}

/** start → provider sign-in → the callback URL the provider sends the browser to (not yet opened). */
async function toCallback(
  project: string,
  options: FlowOptions,
): Promise<{ callback: string; browser: TestBrowser; authorize: URL }> {
  const tab = browser();
  const query = `mode=${options.mode}&project=${project}&env=dev&redirect_uri=${encodeURIComponent(APP)}${options.extra ?? ''}`;
  const started = await tab.get(`${HUB}/oidc/${options.provider ?? 'idp'}/start?${query}`, options.headers);
  assert.equal(started.status, 302, started.text);
  const authorize = new URL(started.location ?? '');
  options.tamper?.(authorize);
  const email = options.email ?? 'alice@idp.test';
  const callback = await signInAtProvider(tab, authorize.toString(), email, `${email.split('@')[0]}-password`);
  return { callback, browser: tab, authorize };
}

async function exchangeCodeOf(project: string, options: FlowOptions): Promise<string> {
  const { callback, browser: tab } = await toCallback(project, options);
  const back = await tab.get(callback);
  assert.equal(back.status, 302, back.text);
  const target = new URL(back.location ?? '');
  assert.equal(`${target.origin}${target.pathname}`, APP);
  return target.searchParams.get('exchange_code') ?? '';
}

const exchange = (code: string, token?: string, provider = 'idp') =>
  hub.call('POST', `/oidc/${provider}/exchange`, { exchange_code: code }, { token });

async function endUser(project: string, name: string): Promise<{ token: string; sub: string }> {
  const signup = expectOk(
    await hub.call('POST', '/api/endusers/signup', {
      project,
      env: 'dev',
      email: `${name}@example.com`,
      password: 'correct horse',
    }),
  );
  return { token: String(signup.access_token), sub: String(signup.sub) };
}

async function provider(project: string, body: Record<string, unknown> = {}): Promise<void> {
  const create = {
    project,
    env: 'dev',
    name: 'idp',
    issuer,
    client_id: 'santokit-test',
    client_secret: 'santokit-test-secret',
    redirect_uris: [APP],
    ...body,
  };
  assert.equal((await hub.call('POST', '/api/oidc/providers', create, { token: hub.owner })).status, 201);
}

describe('OIDC link and login through a real provider', () => {
  before(async () => {
    hub = await startHub({ STK_HUB_TEST_MODE: '1' });
    idpServer = createServer();
    await new Promise<void>((resolve) => idpServer.listen(0, '127.0.0.1', resolve));
    const idp = await createIdp(readIdpConfig({ IDP_PORT: String((idpServer.address() as AddressInfo).port) }));
    issuer = idp.issuer;
    idpServer.on('request', idp.handle);
  });
  after(async () => {
    idpServer.closeAllConnections();
    await new Promise((resolve) => idpServer.close(resolve));
    await hub.close();
  });

  test('link with a bearer or the cookie, then log in through the provider', async () => {
    const { project } = await createProject(hub);
    await provider(project);
    const ana = await endUser(project, 'ana');
    const bearer = { authorization: `Bearer ${ana.token}` };
    const { authorize } = await toCallback(project, { mode: 'link', headers: bearer });
    for (const key of ['state', 'nonce', 'code_challenge']) assert.ok(authorize.searchParams.get(key), key);
    assert.equal(authorize.searchParams.get('code_challenge_method'), 'S256');
    assert.equal(authorize.searchParams.get('client_id'), 'santokit-test');
    const cookie = { cookie: `stk_access_${project}_dev=${ana.token}` };
    const code = await exchangeCodeOf(project, { mode: 'link', headers: cookie });
    assert.match(code, /^ekc_[0-9a-f]{32}$/);
    expectError(await exchange(code), 401, 'UNAUTHORIZED', /active session/);
    assert.deepEqual(expectOk(await exchange(code, ana.token)), { linked: true, provider: 'idp' });
    expectError(await exchange(code, ana.token), 400, 'BAD_REQUEST');
    const login = await exchange(await exchangeCodeOf(project, { mode: 'login' }));
    const session = expectOk(login);
    assert.match(String(session.access_token), /^v4\.local\./);
    assert.equal(session.sub, ana.sub);
    assert.equal(session.provider, 'idp');
    assert.equal(session.expires_in, 3600);
    assert.ok(
      login.headers.get('set-cookie')?.startsWith(`stk_access_${project}_dev=${String(session.access_token)};`),
    );
    const other = await endUser(project, 'bo');
    expectError(
      await exchange(
        await exchangeCodeOf(project, { mode: 'link', headers: { authorization: `Bearer ${other.token}` } }),
        other.token,
      ),
      409,
      'CONFLICT',
    );
    expectError(
      await exchange(await exchangeCodeOf(project, { mode: 'login', email: 'bob@idp.test' })),
      401,
      'UNAUTHORIZED',
      /not linked/,
    );
  });

  test('start refusals, tampered and replayed states, expired codes', async () => {
    const { project } = await createProject(hub);
    await provider(project);
    const start = (query: string, provider = 'idp') => hub.call('GET', `/oidc/${provider}/start?${query}`);
    const good = `project=${project}&env=dev&redirect_uri=${encodeURIComponent(APP)}`;
    expectError(await start(`mode=link&${good}`), 401, 'UNAUTHORIZED');
    expectError(await start(`mode=steal&${good}`), 400, 'BAD_REQUEST');
    expectError(await start(`mode=login&${good}`, 'nosuch'), 404, 'NOT_FOUND');
    expectError(
      await start(`mode=login&project=${project}&env=dev&redirect_uri=https%3A%2F%2Fevil.test%2F`),
      400,
      'BAD_REQUEST',
    );
    const { callback, browser: tab } = await toCallback(project, { mode: 'login' });
    const state = new URL(callback).searchParams.get('state') ?? '';
    const tampered = callback.replace(
      `state=${state}`,
      `state=${state.slice(0, -1)}${state.endsWith('0') ? '1' : '0'}`,
    );
    assert.equal((await tab.get(tampered)).status, 400);
    assert.equal((await tab.get(callback)).status, 302);
    assert.equal((await tab.get(callback)).status, 400, 'a state works once');
    const short = await exchangeCodeOf(project, { mode: 'login', extra: '&test_exchange_ttl_ms=0' });
    expectError(await exchange(short), 400, 'BAD_REQUEST', /expired/);
    expectError(await exchange('ekc_invalid'), 400, 'BAD_REQUEST');
    const strict = createHubApp({ ...hub.deps, config: { ...hub.deps.config, testMode: false } });
    const outside = await strict.request(`/oidc/idp/start?mode=login&${good}&test_exchange_ttl_ms=0`);
    assert.equal(outside.status, 400, 'the lifetime knob needs test mode');
    const stateOutside = await strict.request(`/oidc/idp/start?mode=login&${good}&test_state_ttl_ms=0`);
    assert.equal(stateOutside.status, 400, 'the state lifetime knob needs test mode too');
    for (const knob of ['test_state_ttl_ms=600001', 'test_exchange_ttl_ms=300001', 'test_state_ttl_ms=-1'])
      expectError(await start(`mode=login&${good}&${knob}`), 400, 'BAD_REQUEST', /needs the Hub test mode/);
    const shortState = await toCallback(project, { mode: 'login', extra: '&test_state_ttl_ms=0' });
    assert.equal((await shortState.browser.get(shortState.callback)).status, 400, 'a state that lived 0 ms');
    const stale = await toCallback(project, { mode: 'login' });
    await hub.deps.store.query(`UPDATE hub_oidc_states SET expires_at = now() - interval '1 second' WHERE state = $1`, [
      new URL(stale.callback).searchParams.get('state'),
    ]);
    assert.equal((await stale.browser.get(stale.callback)).status, 400, 'an expired state is refused');
  });

  test('ID tokens for another audience, from another issuer or with another nonce are refused', async () => {
    const { project } = await createProject(hub);
    await provider(project);
    await provider(project, {
      name: 'misaud',
      client_id: 'santokit-misaudience',
      client_secret: 'santokit-misaudience-secret',
    });
    const discovered = await hub.call('GET', `/api/oidc/providers/idp?project=${project}&env=dev`, undefined, {
      token: hub.owner,
    });
    const endpoints = {
      authorization_endpoint: discovered.json?.authorization_endpoint,
      token_endpoint: discovered.json?.token_endpoint,
      jwks_uri: discovered.json?.jwks_uri,
    };
    await provider(project, { name: 'elsewhere', issuer: `${issuer}/elsewhere`, ...endpoints });
    for (const name of ['misaud', 'elsewhere']) {
      const { callback, browser: tab } = await toCallback(project, { mode: 'login', provider: name });
      const answer = await tab.get(callback);
      assert.equal(answer.status, 401, `${name}: ${answer.text}`);
      assert.match(answer.text, /invalid id token/);
    }
    const { callback, browser: tab } = await toCallback(project, {
      mode: 'login',
      tamper: (url) => url.searchParams.set('nonce', 'someone-elses-nonce'),
    });
    assert.equal((await tab.get(callback)).status, 401, 'a nonce changed in transit');
    const codes = await hub.deps.store.query(`SELECT 1 FROM hub_oidc_exchange_codes WHERE project = $1`, [project]);
    assert.equal(codes.length, 0, 'no exchange code was issued');
  });
});
