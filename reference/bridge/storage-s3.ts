/**
 * The Bridge's side of the object store: presigned URLs for what a client
 * sends or fetches itself (PUT, GET, one part of a multipart upload), signed
 * by `@aws-sdk/s3-request-presigner`, and the few calls the Bridge makes on
 * its own (DeleteObject and the multipart bookkeeping) through the S3 client.
 * The SDK is loaded on the first storage call, not at start.
 *
 * Configuration (the AWS SDK's standard variables): AWS_ENDPOINT_URL_S3 or
 * AWS_ENDPOINT_URL (an S3-compatible store; path-style addressing then),
 * AWS_REGION (default us-east-1), AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY,
 * AWS_SESSION_TOKEN (optional).
 */
import type { S3Client } from '@aws-sdk/client-s3';
import { badRequest, HttpError, notFound, unavailable } from './errors.ts';

export interface StorageConfig {
  readonly endpoint?: string;
  readonly region: string;
  readonly credentials: {
    readonly accessKeyId: string;
    readonly secretAccessKey: string;
    readonly sessionToken?: string;
  };
}

/** A bucket and the object's full key in it. */
export interface ObjectRef {
  readonly bucket: string;
  readonly key: string;
}

export interface UploadPart {
  readonly partNumber: number;
  readonly etag: string;
}

export interface StorageBackend {
  presignPut(
    ref: ObjectRef,
    options: { contentType?: string; contentLength?: number; expiresIn: number },
  ): Promise<string>;
  presignGet(ref: ObjectRef, expiresIn: number): Promise<string>;
  presignPart(
    ref: ObjectRef,
    uploadId: string,
    partNumber: number,
    options: { contentLength?: number; expiresIn: number },
  ): Promise<string>;
  deleteObject(ref: ObjectRef): Promise<void>;
  createUpload(ref: ObjectRef, contentType: string | undefined): Promise<string>;
  /** 400 `invalid uploadId` unless the upload is open for exactly this bucket and key. */
  requireUpload(ref: ObjectRef, uploadId: string): Promise<void>;
  completeUpload(ref: ObjectRef, uploadId: string, parts: readonly UploadPart[]): Promise<void>;
  abortUpload(ref: ObjectRef, uploadId: string): Promise<void>;
  close(): void;
}

/** Undefined when no credentials are configured: storage calls then answer 503. */
export function readStorageConfig(env: NodeJS.ProcessEnv): StorageConfig | undefined {
  const accessKeyId = env.AWS_ACCESS_KEY_ID;
  const secretAccessKey = env.AWS_SECRET_ACCESS_KEY;
  if (!accessKeyId || !secretAccessKey) return undefined;
  const endpoint = env.AWS_ENDPOINT_URL_S3 || env.AWS_ENDPOINT_URL;
  return {
    ...(endpoint ? { endpoint } : {}),
    region: env.AWS_REGION || env.AWS_DEFAULT_REGION || 'us-east-1',
    credentials: {
      accessKeyId,
      secretAccessKey,
      ...(env.AWS_SESSION_TOKEN ? { sessionToken: env.AWS_SESSION_TOKEN } : {}),
    },
  };
}

const STORE_REFUSED_PARTS = ['InvalidPart', 'InvalidPartOrder', 'EntityTooSmall', 'MalformedXML', 'InvalidArgument'];
const UNREACHABLE = [
  'ECONNREFUSED',
  'ECONNRESET',
  'ENOTFOUND',
  'EHOSTUNREACH',
  'ETIMEDOUT',
  'TimeoutError',
  'RequestTimeout',
];

/** An S3 failure as a clean HttpError: never the store's raw text beyond its error code. */
export function storageError(error: unknown): HttpError {
  if (error instanceof HttpError) return error;
  const failure = error as { name?: unknown; Code?: unknown; code?: unknown };
  const name = String(failure.Code ?? failure.name ?? '');
  if (name === 'NoSuchUpload')
    return badRequest('invalid uploadId: no open multipart upload with this id for this key');
  if (name === 'NoSuchBucket') return notFound('bucket not found in the object store');
  if (STORE_REFUSED_PARTS.includes(name)) return badRequest(`the object store refused the upload parts (${name})`);
  if (UNREACHABLE.includes(name) || UNREACHABLE.includes(String(failure.code ?? '')))
    return unavailable('object storage unreachable');
  if (['AccessDenied', 'SignatureDoesNotMatch', 'InvalidAccessKeyId'].includes(name))
    return unavailable(`object storage refused the Bridge's credentials (${name})`);
  return new HttpError('INTERNAL_ERROR', 'object storage error');
}

export function createS3Backend(config: StorageConfig): StorageBackend {
  let loaded:
    | Promise<{
        client: S3Client;
        sdk: typeof import('@aws-sdk/client-s3');
        sign: typeof import('@aws-sdk/s3-request-presigner').getSignedUrl;
      }>
    | undefined;
  const load = () =>
    (loaded ??= (async () => {
      const [sdk, presigner] = await Promise.all([
        import('@aws-sdk/client-s3'),
        import('@aws-sdk/s3-request-presigner'),
      ]);
      const client = new sdk.S3Client({
        region: config.region,
        credentials: config.credentials,
        ...(config.endpoint ? { endpoint: config.endpoint, forcePathStyle: true } : {}),
        // No CRC32 of an empty body in presigned PUT URLs, no checksum mode on GET: plain SigV4 URLs.
        requestChecksumCalculation: 'WHEN_REQUIRED',
        responseChecksumValidation: 'WHEN_REQUIRED',
        maxAttempts: 2,
        requestHandler: { connectionTimeout: 2_000, requestTimeout: 10_000 },
      });
      return { client, sdk, sign: presigner.getSignedUrl };
    })());
  const call = async <T>(run: (s3: Awaited<ReturnType<typeof load>>) => Promise<T>): Promise<T> => {
    try {
      return await run(await load());
    } catch (error) {
      throw storageError(error);
    }
  };
  return {
    presignPut: (ref, { contentType, contentLength, expiresIn }) =>
      call(({ client, sdk, sign }) =>
        sign(
          client,
          new sdk.PutObjectCommand({
            Bucket: ref.bucket,
            Key: ref.key,
            ContentType: contentType,
            ContentLength: contentLength,
          }),
          { expiresIn, signableHeaders: new Set(['content-type']) },
        ),
      ),
    presignGet: (ref, expiresIn) =>
      call(({ client, sdk, sign }) =>
        sign(client, new sdk.GetObjectCommand({ Bucket: ref.bucket, Key: ref.key }), { expiresIn }),
      ),
    presignPart: (ref, uploadId, partNumber, { contentLength, expiresIn }) =>
      call(({ client, sdk, sign }) =>
        sign(
          client,
          new sdk.UploadPartCommand({
            Bucket: ref.bucket,
            Key: ref.key,
            UploadId: uploadId,
            PartNumber: partNumber,
            ContentLength: contentLength,
          }),
          { expiresIn },
        ),
      ),
    deleteObject: (ref) =>
      call(
        async ({ client, sdk }) =>
          void (await client.send(new sdk.DeleteObjectCommand({ Bucket: ref.bucket, Key: ref.key }))),
      ),
    createUpload: (ref, contentType) =>
      call(async ({ client, sdk }) => {
        const { UploadId } = await client.send(
          new sdk.CreateMultipartUploadCommand({ Bucket: ref.bucket, Key: ref.key, ContentType: contentType }),
        );
        if (!UploadId) throw new HttpError('INTERNAL_ERROR', 'the object store returned no upload id');
        return UploadId;
      }),
    requireUpload: (ref, uploadId) =>
      call(
        async ({ client, sdk }) =>
          void (await client.send(
            new sdk.ListPartsCommand({ Bucket: ref.bucket, Key: ref.key, UploadId: uploadId, MaxParts: 1 }),
          )),
      ),
    completeUpload: (ref, uploadId, parts) =>
      call(async ({ client, sdk }) => {
        const Parts = parts.map((part) => ({ PartNumber: part.partNumber, ETag: part.etag }));
        await client.send(
          new sdk.CompleteMultipartUploadCommand({
            Bucket: ref.bucket,
            Key: ref.key,
            UploadId: uploadId,
            MultipartUpload: { Parts },
          }),
        );
      }),
    abortUpload: (ref, uploadId) =>
      call(
        async ({ client, sdk }) =>
          void (await client.send(
            new sdk.AbortMultipartUploadCommand({ Bucket: ref.bucket, Key: ref.key, UploadId: uploadId }),
          )),
      ),
    close: () =>
      void loaded?.then(
        ({ client }) => client.destroy(),
        () => undefined,
      ),
  };
}

let fromEnv: StorageBackend | null | undefined;

/** The backend the process environment configures (read once), or undefined without credentials. */
export function storageBackendFromEnv(): StorageBackend | undefined {
  if (fromEnv === undefined) {
    const config = readStorageConfig(process.env);
    fromEnv = config ? createS3Backend(config) : null;
  }
  return fromEnv ?? undefined;
}
