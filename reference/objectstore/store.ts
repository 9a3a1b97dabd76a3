/**
 * `createObjectStore(options)`: an S3-compatible object store for the
 * reference stack. s3rver keeps the buckets and objects on disk and speaks
 * the S3 REST API, but it checks neither signatures nor who is asking, so
 * every request passes through this gate first:
 *
 * - exactly one SigV4 signature (presigned URL or Authorization header) that
 *   verifies against the store's key, unexpired; anonymous requests are 403;
 * - a header-signed body must hash to its declared `x-amz-content-sha256`;
 * - keys with `.` or `..` segments are refused (s3rver maps keys to files);
 * - multipart uploads behave as S3's do (multipart.ts).
 *
 * Only `GET /healthz` answers without a signature.
 */
import { randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createRequire } from 'node:module';
import { Readable } from 'node:stream';
import {
  abortUpload,
  completeXml,
  completionProblem,
  findUpload,
  listPartsXml,
  noSuchUpload,
  parseCompleteBody,
  partNumberProblem,
  storedParts,
  type S3Failure,
  type S3rverFiles,
} from './multipart.ts';
import { sha256Hex, UNSIGNED_PAYLOAD, verifySignature, type StoreCredentials } from './sigv4.ts';

export interface ObjectStoreOptions {
  /** Where s3rver keeps buckets and objects. */
  readonly directory: string;
  readonly credentials: StoreCredentials;
  readonly region: string;
  /** Buckets created at start. */
  readonly buckets: readonly string[];
  /** One line per request: method, path (never the query), status, time. */
  readonly log?: (line: string) => void;
}

export interface ObjectStore {
  /** Loads s3rver and creates the configured buckets; the first signed request does it too if this was not called. */
  prepare(): Promise<void>;
  readonly handle: (req: IncomingMessage, res: ServerResponse) => void;
}

interface S3rverInstance {
  readonly store: S3rverFiles;
  callback(): (req: IncomingMessage, res: ServerResponse) => void;
  configureBuckets(): Promise<void>;
}

type S3rverClass = new (options: Record<string, unknown>) => S3rverInstance;

const MAX_BUFFERED_BODY = 16 * 1024 * 1024;
const AUTH_QUERY = [
  'X-Amz-Algorithm',
  'X-Amz-Credential',
  'X-Amz-Date',
  'X-Amz-Expires',
  'X-Amz-SignedHeaders',
  'X-Amz-Signature',
  'X-Amz-Security-Token',
  'X-Amz-Content-Sha256',
];
const EMPTY_SHA256 = 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855';

interface Target {
  readonly bucket: string;
  readonly key: string;
}

function sendXml(res: ServerResponse, status: number, xml: string): void {
  res.writeHead(status, { 'content-type': 'application/xml', 'x-amz-request-id': randomBytes(8).toString('hex') });
  res.end(`<?xml version="1.0" encoding="UTF-8"?>\n${xml}`);
}

function sendError(res: ServerResponse, failure: S3Failure): void {
  const message = failure.message.replace(/&/g, '&amp;').replace(/</g, '&lt;');
  sendXml(res, failure.status, `<Error><Code>${failure.code}</Code><Message>${message}</Message></Error>`);
}

/** `/<bucket>/<key…>` (path style); undefined when a segment is not valid percent-encoding or is `.`/`..`. */
function targetOf(rawPath: string): Target | undefined {
  try {
    const [bucket = '', ...rest] = rawPath.slice(1).split('/').map(decodeURIComponent);
    if (rest.some((segment) => segment === '.' || segment === '..') || bucket.includes('..')) return undefined;
    return { bucket, key: rest.join('/') };
  } catch {
    return undefined;
  }
}

function readBody(req: IncomingMessage): Promise<Buffer | S3Failure> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BUFFERED_BODY) {
        resolve({
          status: 400,
          code: 'EntityTooLarge',
          message: 'A header-signed body may be at most 16 MiB here; upload larger objects through a presigned URL.',
        });
        req.destroy();
      } else chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

function hasBody(req: IncomingMessage): boolean {
  return req.headers['transfer-encoding'] !== undefined || Number(req.headers['content-length'] ?? 0) > 0;
}

/** The body, checked against the declared payload hash when the request was header-signed. */
async function checkedBody(req: IncomingMessage, payloadHash: string): Promise<Buffer | S3Failure | undefined> {
  if (payloadHash.startsWith('STREAMING-'))
    return {
      status: 501,
      code: 'NotImplemented',
      message: 'aws-chunked uploads are not supported by this store; send the body whole or use a presigned URL.',
    };
  if (!hasBody(req))
    return payloadHash === UNSIGNED_PAYLOAD || payloadHash === EMPTY_SHA256
      ? undefined
      : {
          status: 400,
          code: 'XAmzContentSHA256Mismatch',
          message: 'The provided x-amz-content-sha256 does not match the empty body.',
        };
  const body = await readBody(req);
  if (!Buffer.isBuffer(body) || payloadHash === UNSIGNED_PAYLOAD) return body;
  return sha256Hex(body) === payloadHash
    ? body
    : {
        status: 400,
        code: 'XAmzContentSHA256Mismatch',
        message: "The provided 'x-amz-content-sha256' header does not match what was computed.",
      };
}

/** The same request for s3rver, its signature already checked: auth removed, a buffered body replayed. */
function forS3rver(
  req: IncomingMessage,
  query: URLSearchParams,
  rawPath: string,
  body: Buffer | undefined,
): IncomingMessage {
  for (const name of AUTH_QUERY) query.delete(name);
  const rest = query.toString();
  req.url = rest === '' ? rawPath : `${rawPath}?${rest}`;
  delete req.headers.authorization;
  if (body === undefined) return req;
  const replay = Readable.from([body]) as unknown as IncomingMessage;
  return Object.assign(replay, {
    headers: req.headers,
    rawHeaders: req.rawHeaders,
    method: req.method,
    url: req.url,
    httpVersion: req.httpVersion,
    httpVersionMajor: req.httpVersionMajor,
    httpVersionMinor: req.httpVersionMinor,
    socket: req.socket,
  });
}

interface Engine {
  readonly s3rver: S3rverInstance;
  readonly pass: (req: IncomingMessage, res: ServerResponse) => void;
}

export function createObjectStore(options: ObjectStoreOptions): ObjectStore {
  // s3rver (Koa, winston, lodash…) loads on the first request that needs it, so the store is ready at once
  // and a run whose scenarios never store a file never pays for it.
  let engine: Promise<Engine> | undefined;
  const load = () =>
    (engine ??= (async () => {
      const S3rver = createRequire(import.meta.url)('s3rver') as S3rverClass;
      // Path-style only: with virtual hosts on, s3rver would read the Host (objectstore:4200 under compose) as a bucket.
      const s3rver = new S3rver({
        directory: options.directory,
        silent: true,
        vhostBuckets: false,
        configureBuckets: options.buckets.map((name) => ({ name })),
      });
      await s3rver.configureBuckets();
      return { s3rver, pass: s3rver.callback() };
    })());

  async function multipart(
    req: IncomingMessage,
    res: ServerResponse,
    target: Target,
    query: URLSearchParams,
    body: Buffer | undefined,
  ): Promise<boolean> {
    const { s3rver } = await load();
    const uploadId = query.get('uploadId');
    if (uploadId === null) return false;
    const dir = await findUpload(s3rver.store, target.bucket, target.key, uploadId);
    if (!dir) return (sendError(res, noSuchUpload), true);
    if (req.method === 'PUT') {
      const problem = partNumberProblem(query.get('partNumber'));
      return problem ? (sendError(res, problem), true) : false;
    }
    if (req.method === 'GET')
      return (sendXml(res, 200, listPartsXml(target.bucket, target.key, uploadId, await storedParts(dir))), true);
    if (req.method === 'DELETE') return (await abortUpload(dir), res.writeHead(204).end(), true);
    if (req.method !== 'POST') return false;
    const text = body ?? (await readBody(req));
    const requested = Buffer.isBuffer(text) ? parseCompleteBody(text.toString('utf8')) : undefined;
    if (!requested)
      return (
        sendError(res, {
          status: 400,
          code: 'MalformedXML',
          message: 'The XML you provided was not well-formed or named no parts.',
        }),
        true
      );
    const problem = completionProblem(requested, await storedParts(dir));
    if (problem) return (sendError(res, problem), true);
    const { md5 } = await s3rver.store.putObjectMultipart(target.bucket, uploadId, requested);
    return (sendXml(res, 200, completeXml(target.bucket, target.key, md5)), true);
  }

  async function serve(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const [rawPath = '/', search = ''] = (req.url ?? '/').split(/\?(.*)/s);
    const query = new URLSearchParams(search);
    if (req.method === 'GET' && rawPath === '/healthz' && !req.headers.authorization && search === '') {
      res.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}');
      return;
    }
    const verdict = await verifySignature(
      { method: req.method ?? 'GET', rawPath, query, headers: req.headers },
      options.credentials,
      options.region,
    );
    if (!verdict.ok) return sendError(res, verdict);
    const target = targetOf(rawPath);
    if (!target)
      return sendError(res, {
        status: 400,
        code: 'InvalidArgument',
        message: 'Object keys with . or .. segments are not accepted here.',
      });
    const body = verdict.via === 'header' ? await checkedBody(req, verdict.payloadHash) : undefined;
    if (body !== undefined && !Buffer.isBuffer(body)) return sendError(res, body);
    if (await multipart(req, res, target, query, body)) return;
    (await load()).pass(forS3rver(req, query, rawPath, body), res);
  }

  return {
    prepare: async () => void (await load()),
    handle(req, res) {
      const started = performance.now();
      res.on('finish', () =>
        options.log?.(
          `${req.method} ${(req.url ?? '').split('?')[0]} ${res.statusCode} ${Math.round(performance.now() - started)}ms`,
        ),
      );
      serve(req, res).catch((error: unknown) => {
        options.log?.(`error: ${error instanceof Error ? error.message : String(error)}`);
        if (!res.headersSent)
          sendError(res, {
            status: 500,
            code: 'InternalError',
            message: 'We encountered an internal error. Please try again.',
          });
        else res.destroy();
      });
    },
  };
}
