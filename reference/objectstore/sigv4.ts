/**
 * AWS Signature Version 4 checks for the object store: a presigned URL
 * (`X-Amz-*` query parameters) or an `Authorization: AWS4-HMAC-SHA256`
 * header. The expected signature is computed by the AWS signing library
 * (`@smithy/signature-v4`, what the S3 client and presigner use) over the
 * request as received, then compared in constant time.
 */
import { createHash, createHmac, timingSafeEqual, type BinaryLike } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import type { SignatureV4 } from '@smithy/signature-v4';

export interface StoreCredentials {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
}

export interface SignedRequest {
  readonly method: string;
  /** The path exactly as received (still percent-encoded). */
  readonly rawPath: string;
  readonly query: URLSearchParams;
  readonly headers: IncomingHttpHeaders;
}

export type Verdict =
  | { readonly ok: true; readonly via: 'presigned' | 'header'; readonly payloadHash: string }
  | { readonly ok: false; readonly status: 400 | 403; readonly code: string; readonly message: string };

export const UNSIGNED_PAYLOAD = 'UNSIGNED-PAYLOAD';
const ALGORITHM = 'AWS4-HMAC-SHA256';
const MAX_SKEW_MS = 15 * 60_000;
const MAX_EXPIRES_S = 604_800;
const LONG_DATE = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/;

type SourceData = string | ArrayBuffer | ArrayBufferView;

function bytesOf(data: SourceData): BinaryLike {
  if (typeof data === 'string') return data;
  return ArrayBuffer.isView(data) ? Buffer.from(data.buffer, data.byteOffset, data.byteLength) : Buffer.from(data);
}

/** The hash primitive SignatureV4 asks for: SHA-256, or HMAC-SHA-256 when given a key. */
class NodeSha256 {
  readonly #hash: ReturnType<typeof createHash> | ReturnType<typeof createHmac>;
  constructor(secret?: SourceData) {
    this.#hash = secret === undefined ? createHash('sha256') : createHmac('sha256', bytesOf(secret));
  }
  update(data: SourceData): void {
    this.#hash.update(bytesOf(data));
  }
  digest(): Promise<Uint8Array> {
    return Promise.resolve(new Uint8Array(this.#hash.digest()));
  }
}

const refuse = (status: 400 | 403, code: string, message: string): Verdict => ({ ok: false, status, code, message });

function parseLongDate(text: string | undefined): Date | undefined {
  const match = LONG_DATE.exec(text ?? '');
  if (!match) return undefined;
  const [, y, mo, d, h, mi, s] = match.map(Number) as [number, number, number, number, number, number, number];
  return new Date(Date.UTC(y, mo - 1, d, h, mi, s));
}

function sameText(a: string, b: string): boolean {
  const [left, right] = [Buffer.from(a), Buffer.from(b)];
  return left.length === right.length && timingSafeEqual(left, right);
}

/** `<access key>/<yyyymmdd>/<region>/s3/aws4_request`, checked against ours and the request date. */
function checkScope(
  credential: string,
  longDate: string,
  credentials: StoreCredentials,
  region: string,
): Verdict | undefined {
  const [accessKeyId, day, scopeRegion, service, terminator, ...rest] = credential.split('/');
  if (accessKeyId !== credentials.accessKeyId)
    return refuse(403, 'InvalidAccessKeyId', 'The AWS access key id you provided does not exist in our records.');
  if (rest.length > 0 || terminator !== 'aws4_request' || service !== 's3' || day !== longDate.slice(0, 8)) {
    return refuse(400, 'AuthorizationQueryParametersError', 'The credential scope is malformed.');
  }
  if (scopeRegion !== region)
    return refuse(
      400,
      'AuthorizationQueryParametersError',
      `The credential scope names region '${scopeRegion}'; this store is '${region}'.`,
    );
  return undefined;
}

// Loaded on the first signed request, not at start (about 200 ms of CPU while the whole stack starts).
let library: Promise<typeof import('@smithy/signature-v4')> | undefined;

async function signerFor(credentials: StoreCredentials, region: string): Promise<SignatureV4> {
  const { SignatureV4: Signer } = await (library ??= import('@smithy/signature-v4'));
  return new Signer({
    credentials,
    region,
    service: 's3',
    sha256: NodeSha256,
    uriEscapePath: false,
    applyChecksum: false,
  });
}

function queryRecord(query: URLSearchParams, without: readonly string[]): Record<string, string | string[]> {
  const record: Record<string, string | string[]> = {};
  for (const name of new Set(query.keys())) {
    if (without.includes(name)) continue;
    const values = query.getAll(name);
    record[name] = values.length === 1 ? (values[0] as string) : values;
  }
  return record;
}

function signedHeaderValues(
  headers: IncomingHttpHeaders,
  names: readonly string[],
): Record<string, string> | undefined {
  const picked: Record<string, string> = {};
  for (const name of names) {
    const value = headers[name];
    if (value === undefined) return undefined;
    picked[name] = Array.isArray(value) ? value.join(',') : value;
  }
  return picked;
}

function httpRequestOf(
  request: SignedRequest,
  query: Record<string, string | string[]>,
  headers: Record<string, string>,
) {
  return {
    method: request.method,
    protocol: 'http:',
    hostname: String(request.headers.host ?? ''),
    path: request.rawPath,
    query,
    headers,
  };
}

async function verifyPresigned(
  request: SignedRequest,
  credentials: StoreCredentials,
  region: string,
  now: Date,
): Promise<Verdict> {
  const q = request.query;
  if (q.get('X-Amz-Algorithm') !== ALGORITHM)
    return refuse(400, 'AuthorizationQueryParametersError', `X-Amz-Algorithm only supports "${ALGORITHM}".`);
  const [credential, longDate, expires, signedList, signature] = [
    'X-Amz-Credential',
    'X-Amz-Date',
    'X-Amz-Expires',
    'X-Amz-SignedHeaders',
    'X-Amz-Signature',
  ].map((name) => q.get(name) ?? '');
  const signedAt = parseLongDate(longDate);
  const expiresIn = Number(expires);
  if (
    !signedAt ||
    !signature ||
    !signedList ||
    !Number.isInteger(expiresIn) ||
    expiresIn < 1 ||
    expiresIn > MAX_EXPIRES_S
  ) {
    return refuse(
      400,
      'AuthorizationQueryParametersError',
      'Query-string authentication needs X-Amz-Credential, X-Amz-Date, X-Amz-Expires (1 to 604800), X-Amz-SignedHeaders and X-Amz-Signature.',
    );
  }
  const scope = checkScope(credential ?? '', longDate ?? '', credentials, region);
  if (scope) return scope;
  if (now.getTime() > signedAt.getTime() + expiresIn * 1000) return refuse(403, 'AccessDenied', 'Request has expired');
  if (signedAt.getTime() > now.getTime() + MAX_SKEW_MS) return refuse(403, 'AccessDenied', 'Request is not valid yet');
  const names = (signedList ?? '').split(';');
  const headers = names.includes('host') ? signedHeaderValues(request.headers, names) : undefined;
  if (!headers) return refuse(403, 'SignatureDoesNotMatch', 'A signed header is missing from the request.');
  // Presigned URLs sign UNSIGNED-PAYLOAD. The signer reads the payload hash from a header only, so the
  // URL's X-Amz-Content-Sha256 goes back into a header it hoists into the query again, as when it signed.
  const hashParam = [...q.keys()].find((name) => name.toLowerCase() === 'x-amz-content-sha256');
  const query = queryRecord(q, ['X-Amz-Signature', ...(hashParam ? [hashParam] : [])]);
  const payload = hashParam ? { [hashParam]: q.get(hashParam) ?? '' } : { 'x-amz-content-sha256': UNSIGNED_PAYLOAD };
  const expected = await (
    await signerFor(credentials, region)
  ).presign(httpRequestOf(request, query, { ...headers, ...payload }), {
    signingDate: signedAt,
    expiresIn,
    signableHeaders: new Set(names),
    unsignableHeaders: new Set(hashParam ? [] : ['x-amz-content-sha256']),
    unhoistableHeaders: new Set([
      ...names.filter((name) => name.startsWith('x-amz-')),
      ...(hashParam ? [] : ['x-amz-content-sha256']),
    ]),
  });
  const computed = expected.query?.['X-Amz-Signature'];
  if (
    expected.query?.['X-Amz-SignedHeaders'] !== signedList ||
    typeof computed !== 'string' ||
    !sameText(computed, signature ?? '')
  ) {
    return refuse(
      403,
      'SignatureDoesNotMatch',
      'The request signature we calculated does not match the signature you provided.',
    );
  }
  return { ok: true, via: 'presigned', payloadHash: UNSIGNED_PAYLOAD };
}

function parseAuthorization(value: string): Record<string, string> | undefined {
  if (!value.startsWith(`${ALGORITHM} `)) return undefined;
  const fields: Record<string, string> = {};
  for (const part of value.slice(ALGORITHM.length + 1).split(',')) {
    const [name, ...rest] = part.trim().split('=');
    if (name) fields[name] = rest.join('=');
  }
  return fields.Credential && fields.SignedHeaders && fields.Signature ? fields : undefined;
}

async function verifyHeader(
  request: SignedRequest,
  credentials: StoreCredentials,
  region: string,
  now: Date,
): Promise<Verdict> {
  const fields = parseAuthorization(String(request.headers.authorization));
  if (!fields)
    return refuse(
      400,
      'AuthorizationHeaderMalformed',
      `The authorization header must be ${ALGORITHM} with Credential, SignedHeaders and Signature.`,
    );
  const longDate = String(request.headers['x-amz-date'] ?? '');
  const signedAt = parseLongDate(longDate);
  if (!signedAt) return refuse(403, 'AccessDenied', 'AWS authentication requires a valid x-amz-date header');
  const scope = checkScope(fields.Credential ?? '', longDate, credentials, region);
  if (scope) return scope;
  if (Math.abs(now.getTime() - signedAt.getTime()) > MAX_SKEW_MS)
    return refuse(
      403,
      'RequestTimeTooSkewed',
      'The difference between the request time and the current time is too large.',
    );
  const payloadHash = request.headers['x-amz-content-sha256'];
  if (typeof payloadHash !== 'string')
    return refuse(400, 'InvalidRequest', 'Missing required header for this request: x-amz-content-sha256');
  const names = (fields.SignedHeaders ?? '').split(';');
  const headers =
    names.includes('host') && names.includes('x-amz-content-sha256')
      ? signedHeaderValues(request.headers, names)
      : undefined;
  if (!headers)
    return refuse(403, 'SignatureDoesNotMatch', 'host and x-amz-content-sha256 must be signed and present.');
  const signed = await (
    await signerFor(credentials, region)
  ).sign(httpRequestOf(request, queryRecord(request.query, []), headers), {
    signingDate: signedAt,
    signableHeaders: new Set(names),
  });
  const expected = parseAuthorization(String(signed.headers.authorization ?? ''));
  if (
    !expected ||
    expected.SignedHeaders !== fields.SignedHeaders ||
    !sameText(expected.Signature ?? '', fields.Signature ?? '')
  ) {
    return refuse(
      403,
      'SignatureDoesNotMatch',
      'The request signature we calculated does not match the signature you provided.',
    );
  }
  return { ok: true, via: 'header', payloadHash };
}

/** Every request but the health check must carry exactly one SigV4 signature that verifies. */
export function verifySignature(
  request: SignedRequest,
  credentials: StoreCredentials,
  region: string,
  now = new Date(),
): Promise<Verdict> {
  const presigned = request.query.has('X-Amz-Algorithm') || request.query.has('X-Amz-Signature');
  const header = request.headers.authorization !== undefined;
  if (presigned && header)
    return Promise.resolve(
      refuse(
        400,
        'InvalidArgument',
        'Only one auth mechanism allowed: the X-Amz-* query parameters or the Authorization header.',
      ),
    );
  if (presigned) return verifyPresigned(request, credentials, region, now);
  if (header) return verifyHeader(request, credentials, region, now);
  return Promise.resolve(refuse(403, 'AccessDenied', 'Anonymous access is not allowed: sign the request (SigV4).'));
}

export function sha256Hex(data: Buffer): string {
  return createHash('sha256').update(data).digest('hex');
}
