/** The success shape of plan/spec/call-api.md: `200 { "data": … }` and no other member. */
import assert from 'node:assert/strict';
import { expectStatus } from './assertions.ts';
import type { HttpResponse } from './http.ts';

export function expectDataOnly(response: HttpResponse, what: string): unknown {
  expectStatus(response, 200, what);
  const body = response.json as Record<string, unknown> | undefined;
  assert.ok(
    body && typeof body === 'object' && !Array.isArray(body),
    `${what}: not a JSON object: ${response.text.slice(0, 300)}`,
  );
  assert.deepEqual(Object.keys(body), ['data'], `${what}: the body is { data } alone: ${response.text.slice(0, 300)}`);
  return body.data;
}
