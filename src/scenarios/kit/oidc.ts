/**
 * Driving an OpenID Connect flow without a browser: a recorded client that
 * follows redirects by hand, keeps the cookies each origin sets, and reaches
 * the stack's identity provider at `ctx.idp.url` whenever a redirect names its
 * issuer origin (under compose the Hub knows it as `http://idp:4100`).
 */
import assert from 'node:assert/strict';
import { request } from 'undici';
import type { ScenarioContext } from './context.ts';
import { flattenHeaders, recordExchange } from './http.ts';

/** Users and clients the stack's identity provider seeds (reference/idp defaults). */
export const IDP_USERS = {
  alice: { email: 'alice@idp.test', password: 'alice-password' },
  bob: { email: 'bob@idp.test', password: 'bob-password' },
  carol: { email: 'carol@idp.test', password: 'carol-password' },
} as const;

export const IDP_CLIENTS = {
  /** The client the Hub is normally registered with. */
  main: { id: 'santokit-test', secret: 'santokit-test-secret' },
  other: { id: 'santokit-other', secret: 'santokit-other-secret' },
  /** A misbehaving client: its ID tokens name `santokit-other` as audience. */
  misaudience: { id: 'santokit-misaudience', secret: 'santokit-misaudience-secret' },
} as const;

export interface BrowserHop {
  readonly status: number;
  /** The absolute redirect target (issuer origin mapped to the runner's view), if any. */
  readonly location: string | undefined;
  readonly text: string;
}

export interface OidcBrowser {
  get(url: string, headers?: Readonly<Record<string, string>>): Promise<BrowserHop>;
  postForm(url: string, form: Readonly<Record<string, string>>): Promise<BrowserHop>;
}

export function idpOf(ctx: ScenarioContext): { url: string; issuer: string } {
  assert.ok(ctx.idp, 'this stack offers no identity provider (StackHandles.idp)');
  return ctx.idp;
}

export function createOidcBrowser(ctx: ScenarioContext): OidcBrowser {
  const idp = idpOf(ctx);
  const [inNetwork, reachable] = [new URL(idp.issuer).origin, new URL(idp.url).origin];
  const mapped = (url: string) => (url.startsWith(inNetwork) ? `${reachable}${url.slice(inNetwork.length)}` : url);
  const jar = new Map<string, Map<string, string>>();
  const send = async (
    method: string,
    target: string,
    headers: Record<string, string>,
    body?: string,
  ): Promise<BrowserHop> => {
    const url = mapped(target);
    const origin = new URL(url).origin;
    const cookies = jar.get(origin) ?? new Map<string, string>();
    if (cookies.size > 0) headers.cookie = [...cookies].map(([name, value]) => `${name}=${value}`).join('; ');
    const started = performance.now();
    const response = await request(url, {
      method: method as 'GET',
      headers,
      ...(body === undefined ? {} : { body }),
      signal: ctx.signal,
    });
    const text = await response.body.text();
    const raw = response.headers['set-cookie'];
    for (const line of Array.isArray(raw) ? raw : raw === undefined ? [] : [raw]) {
      const [pair = ''] = line.split(';');
      const at = pair.indexOf('=');
      if (at > 0) cookies.set(pair.slice(0, at).trim(), pair.slice(at + 1).trim());
    }
    jar.set(origin, cookies);
    const responseHeaders = flattenHeaders(response.headers);
    recordExchange(
      ctx.transcript,
      started,
      { method, url, requestHeaders: headers, status: response.statusCode, responseHeaders, responseBody: text },
      body,
    );
    const location = responseHeaders.location;
    return {
      status: response.statusCode,
      location: location === undefined ? undefined : mapped(new URL(location, url).toString()),
      text,
    };
  };
  return {
    get: (url, headers = {}) => send('GET', url, { ...headers }),
    postForm: (url, form) =>
      send('POST', url, { 'content-type': 'application/x-www-form-urlencoded' }, new URLSearchParams(form).toString()),
  };
}

/**
 * At the provider: open the authorization URL, post the test user's email
 * and password to the login step, follow the provider's own redirects, and
 * return the URL it sends the browser back to (the Hub's callback).
 */
export async function signInAtIdp(
  ctx: ScenarioContext,
  browser: OidcBrowser,
  authorizationUrl: string,
  user: { email: string; password: string },
): Promise<string> {
  const reachable = new URL(idpOf(ctx).url).origin;
  const opened = await browser.get(authorizationUrl);
  assert.ok(
    opened.location?.includes('/interaction/'),
    `the provider asks for a login (${opened.status} ${opened.location ?? opened.text.slice(0, 200)})`,
  );
  const login = await browser.postForm(`${opened.location}/login`, user);
  assert.ok(login.location, `the provider accepted the test user (${login.status} ${login.text.slice(0, 200)})`);
  let next = login.location;
  for (let hop = 0; hop < 5 && new URL(next).origin === reachable; hop += 1) {
    const answer = await browser.get(next);
    assert.ok(answer.location, `the provider redirects onwards (${answer.status} ${answer.text.slice(0, 200)})`);
    next = answer.location;
  }
  return next;
}
