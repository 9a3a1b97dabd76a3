/**
 * Checks an OpenID Connect provider before the Hub stores it: URL rules for
 * the issuer and redirect URIs, and the discovery document (unless the three
 * endpoints were given explicitly).
 */
import { badRequest } from '../shared/http-error.ts';

const DISCOVERY_DEADLINE_MS = 5_000;
export const ENDPOINT_FIELDS = ['authorization_endpoint', 'token_endpoint', 'jwks_uri'] as const;
export type Endpoints = Record<(typeof ENDPOINT_FIELDS)[number], string>;

function parseUrl(value: string): URL | undefined {
  try {
    return new URL(value);
  } catch {
    return undefined;
  }
}

export function isLoopback(url: URL): boolean {
  const host = url.hostname.replace(/^\[|\]$/g, '');
  return host === 'localhost' || host === '::1' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host);
}

/** An absolute https URL; plain http only in test mode, for a loopback host or one of `httpHosts`. */
export function checkIssuer(issuer: string, testMode: boolean, httpHosts: readonly string[] = []): void {
  const url = parseUrl(issuer);
  if (!url || (url.protocol !== 'https:' && url.protocol !== 'http:'))
    throw badRequest('issuer must be an absolute https URL');
  const plainAllowed = testMode && (isLoopback(url) || httpHosts.includes(url.hostname.toLowerCase()));
  if (url.protocol === 'http:' && !plainAllowed) throw badRequest('issuer must use https');
}

/** A non-empty list of absolute http(s) URLs. */
export function checkRedirectUris(value: unknown): string[] {
  if (!Array.isArray(value) || value.length === 0)
    throw badRequest("field 'redirect_uris' must be a non-empty list of URLs");
  return value.map((entry) => {
    const url = typeof entry === 'string' ? parseUrl(entry) : undefined;
    if (!url || (url.protocol !== 'https:' && url.protocol !== 'http:'))
      throw badRequest('every redirect URI must be an absolute http(s) URL');
    return entry as string;
  });
}

export function checkEndpoint(field: string, value: string): string {
  const url = parseUrl(value);
  if (!url || (url.protocol !== 'https:' && url.protocol !== 'http:'))
    throw badRequest(`${field} must be an absolute http(s) URL`);
  return value;
}

/** Fetches `<issuer>/.well-known/openid-configuration` and takes the three endpoints from it. */
export async function discover(issuer: string): Promise<Endpoints> {
  const url = `${issuer.replace(/\/+$/, '')}/.well-known/openid-configuration`;
  let document: Record<string, unknown>;
  try {
    const response = await fetch(url, {
      signal: AbortSignal.timeout(DISCOVERY_DEADLINE_MS),
      redirect: 'error',
      headers: { accept: 'application/json' },
    });
    if (!response.ok) throw new Error(`status ${response.status}`);
    document = (await response.json()) as Record<string, unknown>;
  } catch {
    throw badRequest('issuer discovery failed: the discovery document could not be fetched');
  }
  if (document?.issuer !== issuer) throw badRequest('issuer discovery failed: the document names another issuer');
  const endpoints: Partial<Endpoints> = {};
  for (const field of ENDPOINT_FIELDS) {
    const value = document[field];
    if (typeof value !== 'string') throw badRequest(`issuer discovery failed: the document has no ${field}`);
    endpoints[field] = checkEndpoint(field, value);
  }
  return endpoints as Endpoints;
}
