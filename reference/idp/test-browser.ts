/**
 * A browser stand-in for tests of the OIDC flow: follows redirects by hand,
 * keeps cookies per origin (paths ignored: one flow at a time), and can send
 * some origins to an in-process handler instead of the network.
 */
export type Handler = (request: Request) => Promise<Response> | Response;

export interface Hop {
  readonly status: number;
  readonly url: string;
  /** The absolute redirect target, when the answer is a redirect. */
  readonly location: string | undefined;
  readonly text: string;
}

export interface TestBrowser {
  get(url: string, headers?: Record<string, string>): Promise<Hop>;
  postForm(url: string, form: Record<string, string>): Promise<Hop>;
}

export function createTestBrowser(handlers: Readonly<Record<string, Handler>> = {}): TestBrowser {
  const jar = new Map<string, Map<string, string>>();
  const send = async (url: string, init: RequestInit): Promise<Hop> => {
    const origin = new URL(url).origin;
    const cookies = [...(jar.get(origin) ?? new Map<string, string>())]
      .map(([name, value]) => `${name}=${value}`)
      .join('; ');
    const headers = new Headers(init.headers);
    if (cookies) headers.set('cookie', cookies);
    const handler = handlers[origin];
    const request = new Request(url, { ...init, headers, redirect: 'manual' });
    const response = handler ? await handler(request) : await fetch(request);
    const stored = jar.get(origin) ?? new Map<string, string>();
    for (const line of response.headers.getSetCookie()) {
      const [pair = ''] = line.split(';');
      const at = pair.indexOf('=');
      if (at > 0) stored.set(pair.slice(0, at).trim(), pair.slice(at + 1).trim());
    }
    jar.set(origin, stored);
    const location = response.headers.get('location');
    return {
      status: response.status,
      url,
      location: location === null ? undefined : new URL(location, url).toString(),
      text: await response.text(),
    };
  };
  return {
    get: (url, headers = {}) => send(url, { method: 'GET', headers }),
    postForm: (url, form) =>
      send(url, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams(form).toString(),
      }),
  };
}

/**
 * From the provider's authorization URL to the URL it finally sends the
 * browser back to (the client's redirect URI with `code` and `state`):
 * open the authorization request, post the test user's credentials to the
 * interaction, follow the provider's own redirects.
 */
export async function signInAtProvider(
  browser: TestBrowser,
  authorizationUrl: string,
  email: string,
  password: string,
): Promise<string> {
  const providerOrigin = new URL(authorizationUrl).origin;
  const opened = await browser.get(authorizationUrl);
  if (!opened.location)
    throw new Error(`authorization request answered ${opened.status} without a redirect: ${opened.text.slice(0, 300)}`);
  if (!opened.location.includes('/interaction/')) return opened.location;
  const login = await browser.postForm(`${opened.location}/login`, { email, password });
  if (!login.location) throw new Error(`login answered ${login.status}: ${login.text.slice(0, 300)}`);
  let next = login.location;
  for (let hop = 0; hop < 5 && new URL(next).origin === providerOrigin; hop += 1) {
    const answer = await browser.get(next);
    if (!answer.location)
      throw new Error(`provider answered ${answer.status} at ${next}: ${answer.text.slice(0, 300)}`);
    next = answer.location;
  }
  return next;
}
