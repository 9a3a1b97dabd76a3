/** An HTTP client for scenarios: every exchange is recorded in the transcript, nothing throws on a status. */
import { request } from 'undici';
import type { Transcript, TranscriptEntry } from '../../model/transcript.ts';

export interface HttpResponse {
  readonly status: number;
  readonly headers: Readonly<Record<string, string>>;
  readonly text: string;
  /** Parsed JSON body, or undefined when the body is not JSON. */
  readonly json: unknown;
}

export interface RequestOptions {
  /** Sent as JSON with `Content-Type: application/json`. */
  readonly json?: unknown;
  /** A raw body (for malformed-JSON and content-type tests); `json` wins if both are given. */
  readonly body?: string;
  readonly headers?: Readonly<Record<string, string>>;
  /** `Authorization: Bearer <token>`. */
  readonly token?: string;
  readonly query?: Readonly<Record<string, string | number | undefined>>;
}

export interface HttpClient {
  readonly baseUrl: string;
  request(method: string, path: string, options?: RequestOptions): Promise<HttpResponse>;
  get(path: string, options?: RequestOptions): Promise<HttpResponse>;
  post(path: string, json?: unknown, options?: RequestOptions): Promise<HttpResponse>;
}

/** Response headers as one string each (repeated headers joined with `, `), as transcripts keep them. */
export function flattenHeaders(headers: Record<string, string | string[] | undefined>): Record<string, string> {
  const flat: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers))
    if (value !== undefined) flat[name] = Array.isArray(value) ? value.join(', ') : value;
  return flat;
}

type Exchange = Omit<Extract<TranscriptEntry, { kind: 'http' }>, 'kind' | 'at' | 'durationMs' | 'requestBody'>;

/** Records an exchange begun at `started` (a `performance.now()`); a request without a body records none. */
export function recordExchange(
  transcript: Transcript,
  started: number,
  exchange: Exchange,
  requestBody?: string,
): void {
  transcript.record({
    kind: 'http',
    at: Date.now(),
    ...exchange,
    ...(requestBody === undefined ? {} : { requestBody }),
    durationMs: Math.round(performance.now() - started),
  });
}

function buildUrl(baseUrl: string, path: string, query: RequestOptions['query']): string {
  const url = new URL(`${baseUrl.replace(/\/$/, '')}${path}`);
  for (const [key, value] of Object.entries(query ?? {}))
    if (value !== undefined) url.searchParams.set(key, String(value));
  return url.toString();
}

function parseJson(text: string): unknown {
  try {
    return text === '' ? undefined : (JSON.parse(text) as unknown);
  } catch {
    return undefined;
  }
}

export function createHttpClient(baseUrl: string, transcript: Transcript, signal: AbortSignal): HttpClient {
  const send = async (method: string, path: string, options: RequestOptions = {}): Promise<HttpResponse> => {
    const headers: Record<string, string> = { ...options.headers };
    let body = options.body;
    if (options.json !== undefined) {
      body = JSON.stringify(options.json);
      headers['content-type'] ??= 'application/json';
    }
    if (options.token !== undefined) headers.authorization = `Bearer ${options.token}`;
    const url = buildUrl(baseUrl, path, options.query);
    const started = performance.now();
    const response = await request(url, {
      method: method as 'GET',
      headers,
      ...(body !== undefined ? { body } : {}),
      signal,
    });
    const text = await response.body.text();
    const result: HttpResponse = {
      status: response.statusCode,
      headers: flattenHeaders(response.headers),
      text,
      json: parseJson(text),
    };
    recordExchange(
      transcript,
      started,
      {
        method,
        url,
        requestHeaders: headers,
        status: result.status,
        responseHeaders: result.headers,
        responseBody: text,
      },
      body,
    );
    return result;
  };
  return {
    baseUrl,
    request: send,
    get: (path, options) => send('GET', path, options),
    post: (path, json, options) => send('POST', path, { ...options, ...(json !== undefined ? { json } : {}) }),
  };
}
