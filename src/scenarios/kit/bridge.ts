/** `/call` on the Bridge with exactly the credentials a scenario chooses. */
import type { HttpClient, HttpResponse } from './http.ts';

/** How a `/call` authenticates; several may be combined to test precedence. */
export interface Credentials {
  readonly apiKey?: string;
  readonly bearer?: string;
  /** Sent as `Cookie: <name>=<value>; …`. */
  readonly cookies?: Readonly<Record<string, string>>;
  /** Routing hints `X-Santokit-Project` / `X-Santokit-Env`. */
  readonly project?: string;
  readonly env?: string;
  readonly headers?: Readonly<Record<string, string>>;
}

export interface BridgeClient {
  readonly http: HttpClient;
  /** `POST /call` with `{ path, params }`. */
  call(path: string, params?: unknown, credentials?: Credentials): Promise<HttpResponse>;
  /** `POST /call` with a body written as JSON text, for numbers no JavaScript value holds (2^53 + 1, 1e400). */
  callText(body: string, credentials?: Credentials): Promise<HttpResponse>;
}

export function credentialHeaders(credentials: Credentials = {}): Record<string, string> {
  const headers: Record<string, string> = { ...credentials.headers };
  if (credentials.apiKey !== undefined) headers['x-santokit-api-key'] = credentials.apiKey;
  if (credentials.bearer !== undefined) headers.authorization = `Bearer ${credentials.bearer}`;
  if (credentials.project !== undefined) headers['x-santokit-project'] = credentials.project;
  if (credentials.env !== undefined) headers['x-santokit-env'] = credentials.env;
  const cookies = Object.entries(credentials.cookies ?? {});
  if (cookies.length > 0) headers.cookie = cookies.map(([name, value]) => `${name}=${value}`).join('; ');
  return headers;
}

export function createBridgeClient(http: HttpClient): BridgeClient {
  return {
    http,
    call: (path, params, credentials) =>
      http.post('/call', params === undefined ? { path } : { path, params }, {
        headers: credentialHeaders(credentials),
      }),
    callText: (body, credentials) =>
      http.request('POST', '/call', {
        body,
        headers: { ...credentialHeaders(credentials), 'content-type': 'application/json' },
      }),
  };
}
