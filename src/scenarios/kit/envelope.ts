/**
 * The error contract of plan/spec/errors.md checked whole: status and code
 * agree with the catalog, the body is the envelope and nothing else, the
 * request id is a UUID echoed in `X-Request-Id`, and no planted secret leaks.
 */
import assert from 'node:assert/strict';
import type { HttpResponse } from './http.ts';

export const CODE_STATUS: Readonly<Record<string, number>> = {
  BAD_REQUEST: 400,
  SCHEMA_VALIDATION_FAILED: 400,
  UNAUTHORIZED: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  CONFLICT: 409,
  SCHEMA_DRIFT: 409,
  INVALID_PERMISSIONS: 422,
  INVALID_ROLE: 422,
  TOO_MANY_REQUESTS: 429,
  INTERNAL_ERROR: 500,
  SERVICE_UNAVAILABLE: 503,
};

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** Codes whose envelope may carry `details` (errors.md). */
const WITH_DETAILS = new Set(['SCHEMA_VALIDATION_FAILED', 'SCHEMA_DRIFT', 'INVALID_PERMISSIONS', 'CONFLICT']);

export interface EnvelopeCheck {
  /** What was sent, for the failure message. */
  readonly what: string;
  readonly status: number;
  readonly code: string;
  /** Values that must appear nowhere in the response body or headers. */
  readonly secrets?: readonly string[];
}

export function expectEnvelope(response: HttpResponse, check: EnvelopeCheck): Record<string, unknown> {
  const shown = `${check.what}: got ${response.status} ${response.text.slice(0, 400)}`;
  assert.equal(response.status, check.status, shown);
  assert.equal(CODE_STATUS[check.code], check.status, `catalog: ${check.code} is not a ${check.status} code`);
  const body = response.json as Record<string, unknown> | undefined;
  assert.ok(body && typeof body === 'object' && !Array.isArray(body), `${shown} (not a JSON object)`);
  assert.deepEqual(Object.keys(body), ['error'], `${shown} (members besides error)`);
  const error = body.error as Record<string, unknown>;
  assert.equal(error.code, check.code, shown);
  assert.ok(typeof error.message === 'string' && error.message.trim() !== '', `${shown} (message)`);
  const allowed = WITH_DETAILS.has(check.code)
    ? ['code', 'message', 'requestId', 'details']
    : ['code', 'message', 'requestId'];
  for (const key of Object.keys(error)) assert.ok(allowed.includes(key), `${shown} (unexpected error.${key})`);
  assert.match(String(error.requestId), UUID, `${shown} (requestId is not a UUID)`);
  assert.equal(response.headers['x-request-id'], error.requestId, `${check.what}: X-Request-Id equals error.requestId`);
  const everything = `${response.text}\n${JSON.stringify(response.headers)}`;
  for (const secret of check.secrets ?? [])
    assert.ok(!everything.includes(secret), `${check.what}: the response leaks a secret (${secret.slice(0, 6)}…)`);
  return error;
}
