/** Per-run secrets the Hub and Bridge share. Fresh for every stack. */
import { randomBytes } from 'node:crypto';
import type { SecretSink } from '../redact/redactor.ts';
import { DEFAULT_OPERATOR, type Operator } from './options.ts';

export interface StackSecrets {
  /**
   * `STK_PASETO_KEYS` as a deployment in the middle of a key rotation writes it: `<new kid>:<key>, <old kid>:<key>`
   * (the new key 32 ASCII characters, the old one 16, the shortest the reference accepts; the first signs, both
   * verify).
   */
  readonly pasetoKeys: string;
  readonly secretKey: string;
  readonly serviceToken: string;
  /** The object store's one access key (reference/objectstore) and its secret; the Bridge signs with them. */
  readonly storageAccessKeyId: string;
  readonly storageSecretKey: string;
}

const ALPHABET = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';

export function randomToken(length: number): string {
  const bytes = randomBytes(length);
  let out = '';
  for (const byte of bytes) out += ALPHABET[byte % ALPHABET.length];
  return out;
}

/** Two distinct key ids, the newer first, with a space after the comma as an operator often types it. */
function rotatingPasetoKeys(): string {
  const id = randomToken(6).toLowerCase();
  return `k${id}n:${randomToken(32)}, k${id}o:${randomToken(16)}`;
}

/** Each key of a `kid:secret[,kid:secret]` list, without its key id. */
export function pasetoSecretParts(value: string): string[] {
  return value.split(',').map((entry) => entry.slice(entry.indexOf(':') + 1).trim());
}

export function createStackSecrets(): StackSecrets {
  return {
    pasetoKeys: rotatingPasetoKeys(),
    secretKey: randomToken(32),
    serviceToken: randomToken(40),
    storageAccessKeyId: `stk${randomToken(13).toUpperCase()}`,
    storageSecretKey: randomToken(40),
  };
}

/** Tells the run's redactor the secrets a stack made; each PASETO key also on its own, without its key id. */
export function registerStackSecrets(sink: SecretSink | undefined, secrets: StackSecrets): void {
  if (!sink) return;
  sink.addSecret(secrets.pasetoKeys, 'paseto-keys');
  for (const key of pasetoSecretParts(secrets.pasetoKeys)) sink.addSecret(key, 'paseto-key');
  sink.addSecret(secrets.secretKey, 'secret-key');
  sink.addSecret(secrets.serviceToken, 'service-token');
  sink.addSecret(secrets.storageSecretKey, 'storage-secret-key');
}

/**
 * The operator's password. The documented default (`password`) is public and
 * an ordinary word: it stays masked where a field or flag names it, but is
 * not searched for as a value, which would mangle every sentence using it.
 */
export function registerOperator(sink: SecretSink | undefined, operator: Operator): void {
  if (sink && operator.password !== DEFAULT_OPERATOR.password) sink.addSecret(operator.password, 'operator-password');
}

/** The password of a database URL (`postgres://user:password@host/db`), if it has one. */
export function registerDatabaseUrl(sink: SecretSink | undefined, url: string | undefined): void {
  if (!sink || !url) return;
  try {
    const password = decodeURIComponent(new URL(url).password);
    if (password) sink.addSecret(password, 'database-password');
  } catch {
    // Not a URL: nothing to find in it.
  }
}

/** The variables upstream's services read (and the reference stack's service token). */
export function hubEnv(
  secrets: StackSecrets,
  port: number,
  databaseUrl: string,
  operator: { email: string; password: string },
): Record<string, string> {
  return {
    STK_HUB_PORT: String(port),
    STK_HUB_DB_URL: databaseUrl,
    STK_PASETO_KEYS: secrets.pasetoKeys,
    STK_SECRET_KEY: secrets.secretKey,
    STK_SERVICE_TOKEN: secrets.serviceToken,
    STK_OPERATOR_EMAIL: operator.email,
    STK_OPERATOR_PASSWORD: operator.password,
    // The reference Hub accepts the stack's plain-http test identity provider only in test mode; other Hubs ignore it.
    STK_HUB_TEST_MODE: '1',
    // A run signs up and logs in a few hundred made-up accounts; scrypt at log2 N = 10 instead of 14 saves about
    // 40 ms of CPU each. Hashes are still salted scrypt, and the Hub accepts this only in test mode.
    STK_HUB_PASSWORD_COST: '10',
  };
}

/** The reference test identity provider on a loopback port: its issuer is its own URL. */
export function idpEnv(port: number): Record<string, string> {
  return { IDP_PORT: String(port), IDP_HOST: '127.0.0.1', IDP_ISSUER: `http://127.0.0.1:${port}` };
}

/** The reference object store on a loopback port, keeping its objects in `dataDir`. */
export function objectStoreEnv(secrets: StackSecrets, port: number, dataDir: string): Record<string, string> {
  return {
    OBJECTSTORE_PORT: String(port),
    OBJECTSTORE_HOST: '127.0.0.1',
    OBJECTSTORE_ACCESS_KEY_ID: secrets.storageAccessKeyId,
    OBJECTSTORE_SECRET_ACCESS_KEY: secrets.storageSecretKey,
    OBJECTSTORE_DIR: dataDir,
  };
}

/** The Bridge's variables; the object store through the AWS SDK's standard ones (an upstream Bridge reads them too). */
export function bridgeEnv(
  secrets: StackSecrets,
  port: number,
  hubUrl: string,
  objectStoreUrl: string,
): Record<string, string> {
  return {
    STK_BRIDGE_PORT: String(port),
    STK_HUB_URL: hubUrl,
    STK_PASETO_KEYS: secrets.pasetoKeys,
    STK_SECRET_KEY: secrets.secretKey,
    STK_SERVICE_TOKEN: secrets.serviceToken,
    AWS_ENDPOINT_URL_S3: objectStoreUrl,
    AWS_REGION: 'us-east-1',
    AWS_ACCESS_KEY_ID: secrets.storageAccessKeyId,
    AWS_SECRET_ACCESS_KEY: secrets.storageSecretKey,
  };
}
