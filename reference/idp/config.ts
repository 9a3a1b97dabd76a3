/**
 * The test identity provider's environment, read once at start. Users and
 * clients are seeded from JSON (or the documented defaults); a bad value is a
 * one-line error, not a stack trace.
 */
import { createHash } from 'node:crypto';

export interface IdpUser {
  readonly email: string;
  readonly password: string;
  /** The subject in ID tokens; default derived from the email. */
  readonly sub: string;
}

export interface IdpClient {
  readonly client_id: string;
  readonly client_secret: string;
  /**
   * Allowed redirect URIs; `*` stands for any run of characters other than
   * `/` (so `http://127.0.0.1:*` matches every loopback port).
   */
  readonly redirect_uris: readonly string[];
  /**
   * A deliberate misbehaviour for negative tests: ID tokens issued to this
   * client name this audience instead (still signed with the provider's key).
   */
  readonly id_token_audience?: string;
}

export interface IdpConfig {
  readonly port: number;
  readonly host: string;
  readonly issuer: string;
  readonly users: readonly IdpUser[];
  readonly clients: readonly IdpClient[];
}

export class IdpConfigError extends Error {}

export const DEFAULT_REDIRECT_URIS = [
  'http://127.0.0.1:*/oidc/*/callback',
  'http://localhost:*/oidc/*/callback',
  'http://localhost/oidc/*/callback',
];

export const DEFAULT_USERS: readonly Omit<IdpUser, 'sub'>[] = [
  { email: 'alice@idp.test', password: 'alice-password' },
  { email: 'bob@idp.test', password: 'bob-password' },
  { email: 'carol@idp.test', password: 'carol-password' },
];

export const DEFAULT_CLIENTS: readonly Omit<IdpClient, 'redirect_uris'>[] = [
  { client_id: 'santokit-test', client_secret: 'santokit-test-secret' },
  { client_id: 'santokit-other', client_secret: 'santokit-other-secret' },
  {
    client_id: 'santokit-misaudience',
    client_secret: 'santokit-misaudience-secret',
    id_token_audience: 'santokit-other',
  },
];

export function defaultSub(email: string): string {
  return `idp-${createHash('sha256').update(email.toLowerCase()).digest('hex').slice(0, 24)}`;
}

function parseJson(name: string, text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new IdpConfigError(`${name} is not valid JSON`);
  }
}

function records(name: string, value: unknown): Record<string, unknown>[] {
  if (!Array.isArray(value) || value.some((entry) => typeof entry !== 'object' || entry === null))
    throw new IdpConfigError(`${name} must be a JSON array of objects`);
  return value as Record<string, unknown>[];
}

function text(name: string, entry: Record<string, unknown>, field: string): string {
  const value = entry[field];
  if (typeof value !== 'string' || value === '')
    throw new IdpConfigError(`${name}: every entry needs a non-empty string '${field}'`);
  return value;
}

function readUsers(raw: string | undefined): IdpUser[] {
  const entries: Record<string, unknown>[] = raw
    ? records('IDP_USERS', parseJson('IDP_USERS', raw))
    : DEFAULT_USERS.map((user) => ({ ...user }));
  return entries.map((entry) => {
    const email = text('IDP_USERS', entry, 'email');
    return {
      email,
      password: text('IDP_USERS', entry, 'password'),
      sub: typeof entry.sub === 'string' && entry.sub !== '' ? entry.sub : defaultSub(email),
    };
  });
}

function readClients(raw: string | undefined, redirects: readonly string[]): IdpClient[] {
  const entries: Record<string, unknown>[] = raw
    ? records('IDP_CLIENTS', parseJson('IDP_CLIENTS', raw))
    : DEFAULT_CLIENTS.map((client) => ({ ...client }));
  return entries.map((entry) => {
    const uris = entry.redirect_uris;
    if (uris !== undefined && (!Array.isArray(uris) || uris.some((uri) => typeof uri !== 'string')))
      throw new IdpConfigError('IDP_CLIENTS: redirect_uris must be a list of strings');
    const audience = entry.id_token_audience;
    return {
      client_id: text('IDP_CLIENTS', entry, 'client_id'),
      client_secret: text('IDP_CLIENTS', entry, 'client_secret'),
      redirect_uris: (uris as string[] | undefined) ?? redirects,
      ...(typeof audience === 'string' && audience !== '' ? { id_token_audience: audience } : {}),
    };
  });
}

export function readIdpConfig(env: NodeJS.ProcessEnv): IdpConfig {
  const port = Number(env.IDP_PORT ?? '4100');
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    throw new IdpConfigError(`IDP_PORT '${env.IDP_PORT}' is not a port number`);
  const issuer = (env.IDP_ISSUER || `http://127.0.0.1:${port}`).replace(/\/+$/, '');
  try {
    new URL(issuer);
  } catch {
    throw new IdpConfigError(`IDP_ISSUER '${issuer}' is not a URL`);
  }
  const redirects = env.IDP_REDIRECT_URIS
    ? env.IDP_REDIRECT_URIS.split(',')
        .map((uri) => uri.trim())
        .filter(Boolean)
    : DEFAULT_REDIRECT_URIS;
  return {
    port,
    host: env.IDP_HOST || '0.0.0.0',
    issuer,
    users: readUsers(env.IDP_USERS),
    clients: readClients(env.IDP_CLIENTS, redirects),
  };
}
