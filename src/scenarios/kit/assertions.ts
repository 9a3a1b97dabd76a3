/**
 * Assertions on Santokit responses. Each failure message says what was
 * expected and shows the body, so a report explains itself.
 */
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import type { StkResult } from '../../stack/types.ts';
import type { HttpResponse } from './http.ts';

function describe(response: HttpResponse): string {
  return `${response.status} ${response.text.slice(0, 500)}`;
}

export function expectStatus(response: HttpResponse, status: number, what = 'status'): void {
  assert.equal(response.status, status, `${what}: expected HTTP ${status}, got ${describe(response)}`);
}

export interface ErrorBody {
  readonly code: string;
  readonly message: string;
  readonly requestId: string;
}

/** The error envelope `{ "error": { "code", "message", "requestId" } }` with this status and code. */
export function expectError(response: HttpResponse, status: number, code: string): ErrorBody {
  expectStatus(response, status, `expected ${code}`);
  const error = (response.json as { error?: Partial<ErrorBody> } | undefined)?.error;
  assert.ok(error && typeof error === 'object', `expected an error envelope, got ${describe(response)}`);
  assert.equal(error.code, code, `error code: expected ${code}, got ${describe(response)}`);
  assert.equal(typeof error.message, 'string', `error.message must be a string: ${describe(response)}`);
  // errors.md: the message is a short sentence for people, so never empty.
  assert.match(String(error.message), /\S/, `error.message must not be empty: ${describe(response)}`);
  assert.match(String(error.requestId), /\S/, `error.requestId must be non-empty: ${describe(response)}`);
  return error as ErrorBody;
}

/** Rows of a successful select or query: `data` is an array (or `data.data`, as upstream nests it). */
export function expectRows<Row = Record<string, unknown>>(response: HttpResponse): Row[] {
  expectStatus(response, 200);
  const data = (response.json as { data?: unknown } | undefined)?.data;
  const rows = Array.isArray(data) ? data : (data as { data?: unknown } | undefined)?.data;
  assert.ok(Array.isArray(rows), `expected rows in data, got ${describe(response)}`);
  return rows as Row[];
}

/** `{ "data": { "affected": n } }`. */
export function expectAffected(response: HttpResponse, expected?: number): number {
  expectStatus(response, 200);
  const affected = (response.json as { data?: { affected?: unknown } } | undefined)?.data?.affected;
  assert.equal(typeof affected, 'number', `expected data.affected, got ${describe(response)}`);
  if (expected !== undefined) assert.equal(affected, expected, `affected rows: ${describe(response)}`);
  return affected as number;
}

export function expectExit(result: StkResult, code: number): void {
  const output = `stdout: ${result.stdout.slice(0, 500)}\nstderr: ${result.stderr.slice(0, 500)}`;
  if (code === 0)
    assert.equal(
      result.exitCode,
      0,
      `stk ${result.argv.slice(1).join(' ')} failed with exit ${result.exitCode}\n${output}`,
    );
  else assert.notEqual(result.exitCode, 0, `stk ${result.argv.slice(1).join(' ')} should have failed\n${output}`);
}

/**
 * Retries `check` until it stops throwing or `timeoutMs` passes, for
 * behaviour documented as visible within a bound (cache TTLs).
 */
export async function eventually<T>(check: () => Promise<T>, timeoutMs: number, intervalMs = 100): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await check();
    } catch (error) {
      if (Date.now() >= deadline) throw error;
      await sleep(intervalMs);
    }
  }
}
