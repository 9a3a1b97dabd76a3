/** The test identity provider over real HTTP: discovery, JWKS, a full code flow with PKCE, refusals, the misaudience client. */
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, test } from 'node:test';
import { createRemoteJWKSet, jwtVerify } from 'jose';
import { createIdp } from './app.ts';
import { defaultSub, readIdpConfig } from './config.ts';
import { createTestBrowser, signInAtProvider } from './test-browser.ts';

let server: Server;
let issuer = '';
const CALLBACK = 'http://127.0.0.1:9/oidc/idp/callback';

interface Flow {
  readonly verifier: string;
  readonly url: string;
  readonly state: string;
  readonly nonce: string;
}

function authorization(clientId: string, extra: Record<string, string> = {}): Flow {
  const verifier = randomBytes(32).toString('base64url');
  const state = randomBytes(8).toString('hex');
  const nonce = randomBytes(8).toString('hex');
  const query = new URLSearchParams({
    response_type: 'code',
    client_id: clientId,
    redirect_uri: CALLBACK,
    scope: 'openid email',
    state,
    nonce,
    code_challenge: createHash('sha256').update(verifier).digest('base64url'),
    code_challenge_method: 'S256',
    ...extra,
  });
  return { verifier, state, nonce, url: `${issuer}/auth?${query}` };
}

async function redeem(code: string, verifier: string, client = 'santokit-test', secret = 'santokit-test-secret') {
  const response = await fetch(`${issuer}/token`, {
    method: 'POST',
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      authorization: `Basic ${Buffer.from(`${client}:${secret}`).toString('base64')}`,
    },
    body: new URLSearchParams({
      grant_type: 'authorization_code',
      code,
      redirect_uri: CALLBACK,
      code_verifier: verifier,
    }),
  });
  return { status: response.status, json: (await response.json()) as Record<string, unknown> };
}

describe('test identity provider', () => {
  before(async () => {
    server = createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const port = (server.address() as AddressInfo).port;
    const idp = await createIdp(readIdpConfig({ IDP_PORT: String(port) }));
    issuer = idp.issuer;
    server.on('request', idp.handle);
  });
  after(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  test('health, discovery and JWKS', async () => {
    assert.equal((await fetch(`${issuer}/healthz`)).status, 200);
    const discovery = (await (await fetch(`${issuer}/.well-known/openid-configuration`)).json()) as Record<
      string,
      unknown
    >;
    assert.equal(discovery.issuer, issuer);
    for (const field of ['authorization_endpoint', 'token_endpoint', 'jwks_uri'])
      assert.match(String(discovery[field]), /^http:\/\/127\.0\.0\.1:\d+\//);
    assert.deepEqual(discovery.code_challenge_methods_supported, ['S256']);
    const jwks = (await (await fetch(String(discovery.jwks_uri))).json()) as { keys: Record<string, unknown>[] };
    assert.equal(jwks.keys[0]?.alg, 'RS256');
    assert.equal(jwks.keys[0]?.d, undefined, 'no private part is published');
  });

  test('a full code flow with PKCE yields an ID token for the seeded user', async () => {
    const flow = authorization('santokit-test');
    const back = new URL(await signInAtProvider(createTestBrowser(), flow.url, 'alice@idp.test', 'alice-password'));
    assert.equal(`${back.origin}${back.pathname}`, CALLBACK);
    assert.equal(back.searchParams.get('state'), flow.state);
    const code = back.searchParams.get('code') ?? '';
    assert.equal((await redeem(code, 'x'.repeat(43))).status, 400, 'a wrong PKCE verifier is refused');
    const flow2 = authorization('santokit-test');
    const back2 = new URL(await signInAtProvider(createTestBrowser(), flow2.url, 'alice@idp.test', 'alice-password'));
    const tokens = await redeem(back2.searchParams.get('code') ?? '', flow2.verifier);
    assert.equal(tokens.status, 200, JSON.stringify(tokens.json));
    const { payload, protectedHeader } = await jwtVerify(
      String(tokens.json.id_token),
      createRemoteJWKSet(new URL(`${issuer}/jwks`)),
      { issuer, audience: 'santokit-test' },
    );
    assert.equal(protectedHeader.alg, 'RS256');
    assert.equal(payload.sub, defaultSub('alice@idp.test'));
    assert.equal(payload.nonce, flow2.nonce);
    assert.equal((await redeem(back2.searchParams.get('code') ?? '', flow2.verifier)).status, 400, 'a code works once');
  });

  test('refusals: wrong password, missing PKCE, unregistered redirect URI', async () => {
    const browser = createTestBrowser();
    const opened = await browser.get(authorization('santokit-test').url);
    const login = await browser.postForm(`${opened.location}/login`, { email: 'alice@idp.test', password: 'wrong' });
    assert.equal(login.status, 401);
    const noPkce = await createTestBrowser().get(
      authorization('santokit-test', { code_challenge: '', code_challenge_method: '' }).url,
    );
    assert.match(String(noPkce.location), /error=invalid_request/);
    const foreign = await createTestBrowser().get(
      authorization('santokit-test', { redirect_uri: 'https://evil.example/cb' }).url,
    );
    assert.equal(foreign.status, 400);
    assert.equal(foreign.location, undefined);
  });

  test('the misaudience client gets a validly signed ID token for another audience', async () => {
    const flow = authorization('santokit-misaudience');
    const back = new URL(await signInAtProvider(createTestBrowser(), flow.url, 'bob@idp.test', 'bob-password'));
    const tokens = await redeem(
      back.searchParams.get('code') ?? '',
      flow.verifier,
      'santokit-misaudience',
      'santokit-misaudience-secret',
    );
    assert.equal(tokens.status, 200, JSON.stringify(tokens.json));
    const { payload } = await jwtVerify(String(tokens.json.id_token), createRemoteJWKSet(new URL(`${issuer}/jwks`)), {
      issuer,
    });
    assert.equal(payload.aud, 'santokit-other');
    assert.equal(payload.nonce, flow.nonce);
  });
});
