/**
 * Assertions shared by the CRUD scenarios: the single-row insert shape and
 * the schema-validation error that names a column.
 */
import assert from 'node:assert/strict';
import { expectError, type ErrorBody } from './assertions.ts';
import { expectDataOnly } from './shapes.ts';
import type { HttpResponse } from './http.ts';

function shown(response: HttpResponse): string {
  return `${response.status} ${response.text.slice(0, 500)}`;
}

/** `200 {"data": {…}}`: one row object (not an array), nothing beside `data`. */
export function expectRow<Row = Record<string, unknown>>(response: HttpResponse): Row {
  const data = expectDataOnly(response, 'one row');
  assert.ok(typeof data === 'object' && data !== null && !Array.isArray(data), `data must be one row object: ${shown(response)}`);
  return data as Row;
}

export interface ColumnErrorBody extends ErrorBody {
  readonly details: { readonly column: string };
}

/** 400 `SCHEMA_VALIDATION_FAILED` whose `details.column` is `column`. */
export function expectInvalidColumn(response: HttpResponse, column: string): ColumnErrorBody {
  const error = expectError(response, 400, 'SCHEMA_VALIDATION_FAILED') as Partial<ColumnErrorBody>;
  assert.equal(error.details?.column, column, `details.column: expected '${column}', got ${shown(response)}`);
  return error as ColumnErrorBody;
}

/** A failure body carries no `data` member. */
export function expectNoData(response: HttpResponse): void {
  const body = response.json as Record<string, unknown> | undefined;
  assert.ok(body === undefined || !Object.hasOwn(body, 'data'), `an error must not carry data: ${shown(response)}`);
}
