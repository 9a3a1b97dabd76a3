/**
 * Multipart uploads as S3 keeps them, on top of s3rver's files (which
 * accept parts for any upload id and cannot list or abort): an upload exists
 * only for the bucket and key it was created for; parts are numbered 1 to
 * 10000; completion names existing parts in ascending order with their
 * ETags, every part but the last at least 5 MiB; abort discards the parts.
 */
import { existsSync } from 'node:fs';
import { readdir, readFile, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';

/** What the store needs from s3rver's filesystem store (s3rver 3.x). */
export interface S3rverFiles {
  getResourcePath(bucket: string, key: string | undefined, resource: string): string;
  putObjectMultipart(
    bucket: string,
    uploadId: string,
    parts: { number: number; etag: string }[],
  ): Promise<{ md5: string; size: number }>;
}

export interface S3Failure {
  readonly status: number;
  readonly code: string;
  readonly message: string;
}

export interface StoredPart {
  readonly number: number;
  readonly etag: string;
  readonly size: number;
}

export const MIN_PART_BYTES = 5 * 1024 * 1024;
const MAX_PART_NUMBER = 10_000;
const UPLOAD_ID = /^[0-9a-f]{32}$/;

export const noSuchUpload: S3Failure = {
  status: 404,
  code: 'NoSuchUpload',
  message:
    'The specified upload does not exist. The upload ID may be invalid, or the upload may have been aborted or completed.',
};

/** The upload's folder when `uploadId` names an open upload of exactly this bucket and key. */
export async function findUpload(
  files: S3rverFiles,
  bucket: string,
  key: string,
  uploadId: string,
): Promise<string | undefined> {
  if (!UPLOAD_ID.test(uploadId)) return undefined;
  const dir = join(files.getResourcePath(bucket, undefined, 'uploads'), uploadId);
  if (!existsSync(join(dir, 'key'))) return undefined;
  return (await readFile(join(dir, 'key'), 'utf8')) === key ? dir : undefined;
}

export function partNumberProblem(text: string | null): S3Failure | undefined {
  const number = Number(text);
  if (text !== null && /^\d+$/.test(text) && number >= 1 && number <= MAX_PART_NUMBER) return undefined;
  return {
    status: 400,
    code: 'InvalidArgument',
    message: `Part number must be an integer between 1 and ${MAX_PART_NUMBER}, inclusive`,
  };
}

export async function storedParts(dir: string): Promise<StoredPart[]> {
  const names = (await readdir(dir)).filter((name) => /^\d+$/.test(name));
  const parts = await Promise.all(
    names.map(async (name) => ({
      number: Number(name),
      etag: (await readFile(join(dir, `${name}.md5`), 'utf8')).trim(),
      size: (await stat(join(dir, name))).size,
    })),
  );
  return parts.sort((a, b) => a.number - b.number);
}

function xmlText(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

function unescapeXml(text: string): string {
  return text
    .replace(/&quot;/g, '"')
    .replace(/&apos;/g, "'")
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');
}

export function listPartsXml(bucket: string, key: string, uploadId: string, parts: readonly StoredPart[]): string {
  const items = parts
    .map(
      (part) =>
        `<Part><PartNumber>${part.number}</PartNumber><ETag>"${part.etag}"</ETag><Size>${part.size}</Size></Part>`,
    )
    .join('');
  return `<ListPartsResult><Bucket>${xmlText(bucket)}</Bucket><Key>${xmlText(key)}</Key><UploadId>${uploadId}</UploadId><IsTruncated>false</IsTruncated>${items}</ListPartsResult>`;
}

/** `<CompleteMultipartUpload><Part><PartNumber>n</PartNumber><ETag>"…"</ETag></Part>…`, in the order given. */
export function parseCompleteBody(xml: string): { number: number; etag: string }[] | undefined {
  if (!/<CompleteMultipartUpload[\s>]/.test(xml)) return undefined;
  const parts: { number: number; etag: string }[] = [];
  for (const [, inner] of xml.matchAll(/<Part>([\s\S]*?)<\/Part>/g)) {
    const number = /<PartNumber>\s*(\d+)\s*<\/PartNumber>/.exec(inner ?? '')?.[1];
    const etag = /<ETag>([\s\S]*?)<\/ETag>/.exec(inner ?? '')?.[1];
    if (number === undefined || etag === undefined) return undefined;
    parts.push({ number: Number(number), etag: unescapeXml(etag).replace(/"/g, '').trim() });
  }
  return parts.length > 0 ? parts : undefined;
}

/** The S3 rules a completion must meet against the parts actually stored. */
export function completionProblem(
  requested: readonly { number: number; etag: string }[],
  stored: readonly StoredPart[],
): S3Failure | undefined {
  for (let index = 1; index < requested.length; index += 1) {
    if ((requested[index]?.number ?? 0) <= (requested[index - 1]?.number ?? 0)) {
      return {
        status: 400,
        code: 'InvalidPartOrder',
        message: 'The list of parts was not in ascending order. Parts must be ordered by part number.',
      };
    }
  }
  for (const [index, part] of requested.entries()) {
    const found = stored.find((candidate) => candidate.number === part.number);
    if (!found || found.etag !== part.etag) {
      return {
        status: 400,
        code: 'InvalidPart',
        message: `Part ${part.number} could not be found, or its ETag does not match.`,
      };
    }
    if (index < requested.length - 1 && found.size < MIN_PART_BYTES) {
      return {
        status: 400,
        code: 'EntityTooSmall',
        message: `Part ${part.number} is smaller than the minimum allowed size (5 MiB); only the last part may be smaller.`,
      };
    }
  }
  return undefined;
}

export function completeXml(bucket: string, key: string, md5: string): string {
  return `<CompleteMultipartUploadResult><Bucket>${xmlText(bucket)}</Bucket><Key>${xmlText(key)}</Key><ETag>"${md5}"</ETag></CompleteMultipartUploadResult>`;
}

export async function abortUpload(dir: string): Promise<void> {
  await rm(dir, { recursive: true, force: true });
}
