/**
 * Storage as an application sees it: ask the Bridge to sign
 * (`storage/<bucket>/<op>`), then send or fetch the bytes with the signed
 * URL straight at the stack's object store. Every exchange is recorded;
 * bodies over 1 KiB are recorded by size only.
 *
 * Under compose the Bridge signs URLs for the store's in-network origin
 * (`StackHandles.objectStore.endpoint`); the request then goes to the
 * published port (`objectStore.url`) with the signed `Host`, as a client
 * with a hosts-file entry would send it, so the signature still holds.
 */
import assert from 'node:assert/strict';
import { request } from 'undici';
import type { Credentials } from './bridge.ts';
import type { ScenarioContext } from './context.ts';
import { flattenHeaders, recordExchange, type HttpResponse } from './http.ts';
import { eventually, expectStatus } from './assertions.ts';
import { bootstrapProject, createApiKey, signupAndLogin, type EndUserSession } from './project.ts';

export interface SignedUrl {
  readonly url: string;
  readonly method: string;
  readonly headers: Readonly<Record<string, string>>;
}

export interface ObjectResponse extends HttpResponse {
  /** S3's `<Code>` of an error body (`AccessDenied`, `SignatureDoesNotMatch`, `NoSuchKey`, …). */
  readonly code: string | undefined;
}

const RECORDED_BODY_BYTES = 1024;

/** `POST /call` with `storage/<bucket>/<op>`. */
export function storageCall(
  ctx: ScenarioContext,
  op: string,
  params: unknown,
  credentials?: Credentials,
  bucket = 'main',
): Promise<HttpResponse> {
  return ctx.bridge.call(`storage/${bucket}/${op}`, params, credentials);
}

/** A 200 whose `data` is a signed URL for `method`. */
export function expectSigned(response: HttpResponse, method: 'PUT' | 'GET'): SignedUrl {
  expectStatus(response, 200, `a signed ${method} URL`);
  const data = (response.json as { data?: Partial<SignedUrl> } | undefined)?.data;
  assert.equal(data?.method, method, `data.method: ${response.text.slice(0, 300)}`);
  assert.equal(typeof data?.url, 'string', `data.url: ${response.text.slice(0, 300)}`);
  return { url: data.url as string, method, headers: data.headers ?? {} };
}

/** Seconds a signed URL says it lives (`X-Amz-Expires`). */
export function expiresOf(url: string): number {
  return Number(new URL(url).searchParams.get('X-Amz-Expires'));
}

function target(ctx: ScenarioContext, url: string): { url: string; host?: string } {
  const store = ctx.stack.objectStore;
  if (!store || store.endpoint === store.url) return { url };
  const signed = new URL(url);
  if (signed.origin !== new URL(store.endpoint).origin) return { url };
  const reachable = new URL(store.url);
  // Keep the path and query byte for byte: re-serialising them could change what was signed.
  return { url: `${reachable.origin}${url.slice(signed.origin.length)}`, host: signed.host };
}

function describeBody(body: string | Buffer | undefined): string | undefined {
  if (body === undefined) return undefined;
  const size = Buffer.byteLength(body);
  return size > RECORDED_BODY_BYTES ? `<${size} bytes>` : body.toString();
}

/** A request with a signed URL (or a deliberately altered one) at the object store. */
export async function fetchSigned(
  ctx: ScenarioContext,
  method: string,
  url: string,
  options: { body?: string | Buffer; headers?: Readonly<Record<string, string>> } = {},
): Promise<ObjectResponse> {
  const to = target(ctx, url);
  const headers: Record<string, string> = { ...options.headers, ...(to.host ? { host: to.host } : {}) };
  const started = performance.now();
  const response = await request(to.url, {
    method: method as 'GET',
    headers,
    ...(options.body !== undefined ? { body: options.body } : {}),
    signal: ctx.signal,
  });
  const bytes = Buffer.from(await response.body.arrayBuffer());
  const text = bytes.toString('utf8');
  const flat = flattenHeaders(response.headers);
  const responseBody = describeBody(bytes.length > RECORDED_BODY_BYTES ? bytes : text) ?? '';
  recordExchange(
    ctx.transcript,
    started,
    { method, url, requestHeaders: headers, status: response.statusCode, responseHeaders: flat, responseBody },
    describeBody(options.body),
  );
  return {
    status: response.statusCode,
    headers: flat,
    text,
    json: undefined,
    code: /<Code>([^<]+)<\/Code>/.exec(text)?.[1],
  };
}

/** Signs an upload of `body` and PUTs it; both must succeed. */
export async function uploadObject(
  ctx: ScenarioContext,
  credentials: Credentials,
  key: string,
  body: string | Buffer,
  contentType: string,
): Promise<void> {
  const signed = expectSigned(
    await storageCall(ctx, 'upload_sign', { key, contentType, contentLength: Buffer.byteLength(body) }, credentials),
    'PUT',
  );
  const put = await fetchSigned(ctx, 'PUT', signed.url, { body, headers: signed.headers });
  assert.equal(put.status, 200, `PUT ${key} to the object store: ${put.status} ${put.text.slice(0, 300)}`);
}

/** Signs a download of `key` and GETs it (the store's answer, whatever it is). */
export async function downloadObject(
  ctx: ScenarioContext,
  credentials: Credentials,
  key: string,
): Promise<ObjectResponse> {
  const signed = expectSigned(await storageCall(ctx, 'download_sign', { key }, credentials), 'GET');
  return fetchSigned(ctx, 'GET', signed.url);
}

/** The store holds exactly `body` under `key` (as the given caller may download it). */
export async function expectObject(
  ctx: ScenarioContext,
  credentials: Credentials,
  key: string,
  body: string,
): Promise<void> {
  const got = await downloadObject(ctx, credentials, key);
  assert.equal(got.status, 200, `GET ${key}: ${got.status} ${got.text.slice(0, 300)}`);
  assert.equal(got.text, body, `the stored bytes of ${key}`);
}

/** The store has no object under `key`: a signed GET answers 404 NoSuchKey. */
export async function expectNoObject(ctx: ScenarioContext, credentials: Credentials, key: string): Promise<void> {
  const got = await downloadObject(ctx, credentials, key);
  assert.deepEqual(
    [got.status, got.code],
    [404, 'NoSuchKey'],
    `GET ${key} after it was deleted: ${got.text.slice(0, 300)}`,
  );
}

export interface StorageProject {
  readonly project: string;
  readonly env: string;
  readonly owner: EndUserSession;
  readonly other: EndUserSession;
  readonly asOwner: Credentials;
  readonly asOther: Credentials;
  /** No credential, only the routing hints. */
  readonly anonymous: Credentials;
  /** An API key of this project with `roles` (comma-separated). */
  apiKey(roles: string): Promise<Credentials>;
}

let keys = 0;

/** A project applied from the `storage_app` fixture, with two end users. */
export async function storageProject(ctx: ScenarioContext, prefix = 'storage'): Promise<StorageProject> {
  const { project, env } = await bootstrapProject(ctx, 'storage_app', { prefix });
  const hints = { project, env };
  const [owner, other] = await Promise.all([signupAndLogin(ctx, project, env), signupAndLogin(ctx, project, env)]);
  return {
    project,
    env,
    owner,
    other,
    asOwner: { bearer: owner.accessToken, ...hints },
    asOther: { bearer: other.accessToken, ...hints },
    anonymous: hints,
    apiKey: async (roles) => ({
      apiKey: await createApiKey(ctx, project, env, roles, `${roles.replace(/[^a-z]/g, '')}-${(keys += 1)}`),
      ...hints,
    }),
  };
}

/**
 * The Bridge's own log lines (not its request line) carrying `requestId`,
 * waited for up to `timeoutMs`; undefined when the stack keeps no Bridge log.
 */
export async function bridgeLogLines(
  ctx: ScenarioContext,
  requestId: string,
  timeoutMs = 3_000,
): Promise<string[] | undefined> {
  const read = () =>
    ctx.stack
      .logTails(400)
      .find((tail) => tail.service === 'bridge')
      ?.lines.filter((line) => line.includes(requestId) && !/\b(GET|POST) \/call\b/.test(line));
  if (read() === undefined) return undefined;
  return eventually(async () => {
    const lines = read() ?? [];
    assert.ok(lines.length > 0, `a Bridge log line for request ${requestId}`);
    return lines;
  }, timeoutMs);
}
