/** Server-generated row ids per id policy (project-files.md): ULID, nanoid, UUID v4, UUID v7. */
import { randomBytes, randomUUID } from 'node:crypto';
import { ulid } from 'ulid';

/** RFC 9562 version 7: 48-bit Unix milliseconds, then random bits with version and variant set. */
export function uuidV7(now = Date.now()): string {
  const bytes = randomBytes(16);
  bytes.writeUIntBE(now, 0, 6);
  bytes[6] = 0x70 | ((bytes[6] ?? 0) & 0x0f);
  bytes[8] = 0x80 | ((bytes[8] ?? 0) & 0x3f);
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

const NANOID_ALPHABET = 'useandom-26T198340PX75pxJACKVERYMINDBUSHWOLF_GQZbfghjklqvwyzrict';

/** A nanoid: 21 characters of the URL-safe alphabet, 126 random bits (64 is a power of two, so no bias). */
export function nanoid(): string {
  return [...randomBytes(21)].map((byte) => NANOID_ALPHABET[byte & 63]).join('');
}

/** Policies whose ids the server (Bridge or database) assigns; a caller-supplied id is refused. */
export const GENERATING_POLICIES: readonly string[] = ['ulid', 'nanoid', 'uuid_v4', 'uuid_v7', 'auto_increment'];

/** The id the Bridge generates, or undefined when the database assigns it (or the client must). */
export function generateId(policy: string): string | undefined {
  if (policy === 'ulid') return ulid();
  if (policy === 'nanoid') return nanoid();
  if (policy === 'uuid_v4') return randomUUID();
  if (policy === 'uuid_v7') return uuidV7();
  return undefined;
}
