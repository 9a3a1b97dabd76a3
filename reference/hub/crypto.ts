/** Secrets at rest: scrypt password hashes, AES-256-GCM for connection URLs, random ids. */
import {
  createCipheriv,
  createDecipheriv,
  createHash,
  randomBytes,
  randomUUID,
  scrypt,
  timingSafeEqual,
} from 'node:crypto';
import { promisify } from 'node:util';

type ScryptOptions = { N: number; maxmem: number };
const scryptAsync = promisify(scrypt) as (
  password: string,
  salt: Buffer,
  length: number,
  options: ScryptOptions,
) => Promise<Buffer>;

/**
 * scrypt's work factor, as log2 of N (r = 8): 14 costs about 45 ms of CPU and
 * 16 MiB per hash on a small machine. The Hub's configuration may choose
 * another (config.ts); a stored hash keeps the cost it was made with.
 */
export const DEFAULT_PASSWORD_COST = 14;

function scryptOptions(cost: number): ScryptOptions {
  return { N: 2 ** cost, maxmem: 256 * 8 * 2 ** cost };
}

export async function hashSecret(secret: string, cost: number = DEFAULT_PASSWORD_COST): Promise<string> {
  const salt = randomBytes(16);
  const hash = await scryptAsync(secret, salt, 32, scryptOptions(cost));
  return `scrypt$${cost}$${salt.toString('base64url')}$${hash.toString('base64url')}`;
}

/**
 * API key secrets are 24 random bytes: nothing to guess, so a plain SHA-256
 * protects them at rest and verifying one costs microseconds, not the
 * deliberate tens of milliseconds of a password hash.
 */
export function hashRandomSecret(secret: string): string {
  return `sha256$${createHash('sha256').update(secret).digest('base64url')}`;
}

/** Checks a secret against either kind of stored hash; a scrypt hash is checked at the cost it records. */
export async function verifySecret(secret: string, stored: string): Promise<boolean> {
  const [scheme, first, salt, hash] = stored.split('$');
  if (scheme === 'sha256' && first) {
    const expected = Buffer.from(first, 'base64url');
    const actual = createHash('sha256').update(secret).digest();
    return expected.length === actual.length && timingSafeEqual(actual, expected);
  }
  if (scheme !== 'scrypt' || !salt || !hash) return false;
  const expected = Buffer.from(hash, 'base64url');
  const actual = await scryptAsync(
    secret,
    Buffer.from(salt, 'base64url'),
    expected.length,
    scryptOptions(Number(first)),
  );
  return timingSafeEqual(actual, expected);
}

/** A well-formed hash of the given cost that no password matches, checked when an account does not exist. */
export function unknownAccountHash(cost: number): string {
  return `scrypt$${cost}$${randomBytes(16).toString('base64url')}$${randomBytes(32).toString('base64url')}`;
}

export interface Sealer {
  seal(plain: string): string;
  open(sealed: string): string;
}

export function createSealer(secretKey: string): Sealer {
  const key = createHash('sha256').update(`santokit hub seal:${secretKey}`).digest();
  return {
    seal(plain) {
      const iv = randomBytes(12);
      const cipher = createCipheriv('aes-256-gcm', key, iv);
      const body = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
      return [iv, cipher.getAuthTag(), body].map((part) => part.toString('base64url')).join('.');
    },
    open(sealed) {
      // A value missing a part fails in setAuthTag or update, as an altered one fails in final.
      const [iv, tag, body] = sealed.split('.').map((part) => Buffer.from(part, 'base64url'));
      const decipher = createDecipheriv('aes-256-gcm', key, iv as Buffer);
      decipher.setAuthTag(tag as Buffer);
      return Buffer.concat([decipher.update(body as Buffer), decipher.final()]).toString('utf8');
    },
  };
}

export const newId = (): string => randomUUID();
export const randomToken = (bytes = 24): string => randomBytes(bytes).toString('base64url');

/** `postgres://user:***@host/db`: the password replaced, everything else kept (connections/set checked the URL). */
export function redactUrl(url: string): string {
  const parsed = new URL(url);
  if (parsed.password) parsed.password = '***';
  return parsed.toString();
}
