/**
 * A `fetch` for the generated client that sends through the platform's own
 * and records every exchange: in the scenario's transcript, and as a list
 * the scenario asserts on (which headers went out, what came back).
 */
import assert from 'node:assert/strict';
import type { ScenarioContext } from '../kit/index.ts';
import { recordExchange } from '../kit/http.ts';
import type { SdkError, SdkModule } from './sdk-client.ts';

export interface Sent {
  readonly url: string;
  readonly method: string;
  /** Request headers, names in lower case. */
  readonly headers: Readonly<Record<string, string>>;
  readonly body: { readonly path?: string; readonly params?: Record<string, unknown> };
  readonly status: number;
  /** The response's X-Request-Id header, or null. */
  readonly requestId: string | null;
}

export interface RecordingFetch {
  readonly fetch: typeof fetch;
  readonly sent: Sent[];
}

function headersOf(init: RequestInit | undefined): Record<string, string> {
  const flat: Record<string, string> = {};
  new Headers(init?.headers).forEach((value, name) => void (flat[name] = value));
  return flat;
}

export function recordingFetch(ctx: ScenarioContext): RecordingFetch {
  const sent: Sent[] = [];
  const recorder = async (input: string | URL | Request, init?: RequestInit): Promise<Response> => {
    const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
    const headers = headersOf(init);
    const body = typeof init?.body === 'string' ? init.body : '';
    const begin = performance.now();
    const response = await fetch(input, { ...init, signal: ctx.signal });
    const text = await response.clone().text();
    const responseHeaders: Record<string, string> = {};
    response.headers.forEach((value, name) => void (responseHeaders[name] = value));
    const method = init?.method ?? 'GET';
    recordExchange(
      ctx.transcript,
      begin,
      { method, url, requestHeaders: headers, status: response.status, responseHeaders, responseBody: text },
      body,
    );
    sent.push({
      url,
      method,
      headers,
      body: body === '' ? {} : (JSON.parse(body) as Sent['body']),
      status: response.status,
      requestId: response.headers.get('x-request-id'),
    });
    return response;
  };
  return { fetch: recorder, sent };
}

/** Runs `action`, expects it to reject with the module's SantokitError, and returns that error. */
export async function expectSdkError(sdk: SdkModule, action: () => Promise<unknown>, code: string): Promise<SdkError> {
  let caught: unknown;
  try {
    await action();
  } catch (error) {
    caught = error;
  }
  assert.ok(caught instanceof sdk.SantokitError, `rejects with SantokitError, got: ${String(caught)}`);
  const error = caught;
  assert.equal(error.code, code, `code of: ${error.message}`);
  assert.equal(error.name, 'SantokitError');
  return error;
}

/** The error of the last exchange matches it: the Bridge's envelope code, message and request id. */
export function expectFromLastExchange(error: SdkError, recorded: RecordingFetch, status: number): void {
  const last = recorded.sent.at(-1);
  assert.ok(last, 'a request was sent');
  assert.equal(last.status, status, 'HTTP status of the exchange');
  assert.match(
    error.requestId,
    /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/,
    "requestId is the server's UUID",
  );
  assert.equal(error.requestId, last.requestId, 'requestId equals the X-Request-Id the Bridge answered with');
}

/** `action` rejects with `code`, and that error is the one of the last exchange, answered with `status`. */
export async function expectSdkFailure(
  sdk: SdkModule,
  recorded: RecordingFetch,
  action: () => Promise<unknown>,
  code: string,
  status: number,
): Promise<void> {
  expectFromLastExchange(await expectSdkError(sdk, action, code), recorded, status);
}
