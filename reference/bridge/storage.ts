/**
 * `storage/<bucket>/<op>` on `/call` (STORAGE-001..004, -006). The Bridge only
 * decides and signs; bytes go between the client and the object store.
 *
 * Order: op known (404) → params an object → bucket name → key normalised
 * (400, before any policy) → first matching pattern and its rule (403) →
 * roles (401 anonymous / 403) → CEL condition over `request.auth`,
 * `request.params` and `path` (403 false, 400 error) → size and type limits
 * of uploads (400) → the op's own params (400) → the object store.
 *
 * Objects live under `<project>/<env>/<key>` in the bucket, so one store
 * serves many projects without one reaching another's objects.
 */
import type { ReleasePayload } from '../shared/contract.ts';
import type { Caller } from './credentials.ts';
import { arg, argsOf, type Args } from './crud-kit.ts';
import { badRequest, forbidden, notFound, unauthorized, unavailable } from './errors.ts';
import { roleMatches } from './rules.ts';
import { checkStorageCondition } from './storage-condition.ts';
import {
  isStorageOp,
  matchPolicy,
  normalizeKey,
  ruleNameOf,
  type StorageOp,
  type StorageRule,
} from './storage-policy.ts';
import type { ObjectRef, StorageBackend, UploadPart } from './storage-s3.ts';

export interface StorageContext {
  readonly release: ReleasePayload;
  readonly caller: Caller;
  /** Undefined when the Bridge has no object store configured: 503 after the policy checks. */
  readonly backend: StorageBackend | undefined;
}

const BUCKET = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;
const TTL = { upload: { default: 300, max: 900 }, download: { default: 60, max: 300 } } as const;
const MAX_PARTS = 10_000;

export interface Authorized {
  readonly key: string;
  readonly rule: StorageRule;
}

function optionalLength(args: Args): number | undefined {
  const value = arg(args, 'contentLength');
  if (value === undefined) return undefined;
  if (!Number.isSafeInteger(value) || (value as number) < 0)
    throw badRequest('contentLength must be a non-negative integer (bytes)');
  return value as number;
}

function optionalType(args: Args): string | undefined {
  const value = arg(args, 'contentType');
  if (value === undefined) return undefined;
  if (typeof value !== 'string' || value.trim() === '' || /[\r\n]/.test(value))
    throw badRequest('contentType must be a MIME type string');
  return value.trim();
}

/** The rule's condition; `path.<name>` holds the pattern's variables, `request.params` what was sent. */
function checkCondition(
  rule: StorageRule,
  caller: Caller,
  key: string,
  args: Args,
  path: Readonly<Record<string, string>>,
): void {
  if (rule.condition === undefined) return;
  const length = optionalLength(args);
  const type = optionalType(args);
  const params = {
    key,
    ...(length === undefined ? {} : { contentLength: BigInt(length) }),
    ...(type === undefined ? {} : { contentType: type }),
  };
  checkStorageCondition(rule.condition, { caller, params, path });
}

/** Key, pattern, rule, roles and condition: everything but the upload limits. */
export function authorize(release: ReleasePayload, caller: Caller, op: StorageOp, args: Args): Authorized {
  const key = normalizeKey(arg(args, 'key'));
  const ruleName = ruleNameOf(op);
  const match = matchPolicy(release, key, ruleName);
  if (!match) throw forbidden('no storage policy matches this key');
  const { rule } = match;
  if (!rule) throw forbidden(`the storage policy '${match.pattern}' has no ${ruleName} rule`);
  if (!rule.roles.some((role) => roleMatches(role, caller))) {
    if (caller.kind === 'anonymous')
      throw unauthorized(`authentication required for ${ruleName} on '${match.pattern}'`);
    throw forbidden(`no role of the caller is allowed to ${ruleName} on '${match.pattern}'`);
  }
  checkCondition(rule, caller, key, args, match.path);
  return { key, rule };
}

/** `maxSize` needs a `contentLength` not above it; `allowedTypes` needs one of its types. */
function checkUploadLimits(rule: StorageRule, args: Args): void {
  const length = optionalLength(args);
  if (rule.maxSize !== undefined) {
    if (length === undefined) throw badRequest('contentLength is required: the storage rule sets maxSize');
    if (length > rule.maxSize) throw badRequest(`contentLength exceeds maxSize (${rule.maxSize} bytes)`);
  }
  const type = optionalType(args);
  if (rule.allowedTypes !== undefined) {
    if (type === undefined) throw badRequest('contentType is required: the storage rule sets allowedTypes');
    if (!rule.allowedTypes.some((allowed) => allowed.toLowerCase() === type.toLowerCase()))
      throw badRequest(`contentType '${type.slice(0, 100)}' is not allowed`);
  }
}

function expiresIn(args: Args, limits: { default: number; max: number }): number {
  const value = arg(args, 'expiresIn');
  if (value === undefined) return limits.default;
  if (!Number.isSafeInteger(value) || (value as number) < 1 || (value as number) > limits.max)
    throw badRequest(`expiresIn must be an integer from 1 to ${limits.max} (seconds)`);
  return value as number;
}

function uploadIdOf(args: Args): string {
  const value = arg(args, 'uploadId');
  if (typeof value !== 'string' || value === '' || value.length > 1024)
    throw badRequest('uploadId is required and must be a string');
  return value;
}

function partNumberOf(value: unknown, what = 'partNumber'): number {
  if (!Number.isSafeInteger(value) || (value as number) < 1 || (value as number) > MAX_PARTS)
    throw badRequest(`${what} must be an integer from 1 to ${MAX_PARTS}`);
  return value as number;
}

function partsOf(args: Args): UploadPart[] {
  const value = arg(args, 'parts');
  if (!Array.isArray(value) || value.length === 0 || value.length > MAX_PARTS)
    throw badRequest('parts is required: a non-empty list of {partNumber, etag}');
  const parts = value.map((item: unknown, index) => {
    const part = (typeof item === 'object' && item !== null ? item : {}) as Record<string, unknown>;
    if (typeof part.etag !== 'string' || part.etag.trim() === '')
      throw badRequest(`parts[${index}].etag must be a non-empty string`);
    return { partNumber: partNumberOf(part.partNumber, `parts[${index}].partNumber`), etag: part.etag };
  });
  if (parts.some((part, index) => index > 0 && part.partNumber <= (parts[index - 1]?.partNumber ?? 0)))
    throw badRequest('parts must be in ascending partNumber order');
  return parts;
}

export function objectRef(caller: Caller, bucket: string, key: string): ObjectRef {
  return { bucket, key: `${caller.project}/${caller.env}/${key}` };
}

async function perform(backend: StorageBackend, ref: ObjectRef, op: StorageOp, args: Args): Promise<unknown> {
  if (op === 'upload_sign') {
    const contentType = optionalType(args);
    const url = await backend.presignPut(ref, {
      contentType,
      contentLength: optionalLength(args),
      expiresIn: expiresIn(args, TTL.upload),
    });
    return { url, method: 'PUT', headers: contentType === undefined ? {} : { 'Content-Type': contentType } };
  }
  if (op === 'download_sign')
    return { url: await backend.presignGet(ref, expiresIn(args, TTL.download)), method: 'GET' };
  if (op === 'delete') return (await backend.deleteObject(ref), {});
  if (op === 'multipart_create') return { uploadId: await backend.createUpload(ref, optionalType(args)) };
  const uploadId = uploadIdOf(args);
  if (op === 'multipart_sign_part') {
    const partNumber = partNumberOf(arg(args, 'partNumber'));
    const ttl = expiresIn(args, TTL.upload);
    await backend.requireUpload(ref, uploadId);
    return {
      url: await backend.presignPart(ref, uploadId, partNumber, {
        contentLength: optionalLength(args),
        expiresIn: ttl,
      }),
      method: 'PUT',
    };
  }
  if (op === 'multipart_complete') return (await backend.completeUpload(ref, uploadId, partsOf(args)), {});
  return (await backend.abortUpload(ref, uploadId), {});
}

export async function runStorage(ctx: StorageContext, bucket: string, op: string, params: unknown): Promise<unknown> {
  if (!isStorageOp(op)) throw notFound(`storage operation not found: ${op.slice(0, 32)}`);
  const args = argsOf(params);
  if (!BUCKET.test(bucket)) throw badRequest('invalid bucket name: 3-63 of a-z, 0-9, "." and "-"');
  const { key, rule } = authorize(ctx.release, ctx.caller, op, args);
  if (op === 'upload_sign' || op === 'multipart_create') checkUploadLimits(rule, args);
  if (!ctx.backend) throw unavailable('object storage is not configured for this Bridge');
  return perform(ctx.backend, objectRef(ctx.caller, bucket, key), op, args);
}
