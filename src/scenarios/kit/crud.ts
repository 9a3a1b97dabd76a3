/**
 * Assertions shared by the CRUD scenarios: the row shapes of insert and
 * update, and the schema-validation error that names a column.
 */
import assert from 'node:assert/strict';
import { expectError, type ErrorBody } from './assertions.ts';
import { expectDataOnly } from './shapes.ts';
import type { HttpResponse } from './http.ts';

function shown(response: HttpResponse): string {
  return `${response.status} ${response.text.slice(0, 500)}`;
}

/** Insert (CRUD-001): `200 {"data": [<row>]}`, an array holding exactly the stored row, nothing beside `data`. */
export function expectRow<Row = Record<string, unknown>>(response: HttpResponse): Row {
  const [row] = expectUpdated<Row>(response, 1);
  return row as Row;
}

/** Update (CRUD-002): `200 {"data": [<row>…]}`, the changed rows as they now are; `count` of them. */
export function expectUpdated<Row = Record<string, unknown>>(response: HttpResponse, count: number): Row[] {
  const data = expectDataOnly(response, 'written rows');
  assert.ok(Array.isArray(data), `data must be an array of rows: ${shown(response)}`);
  assert.ok(
    data.every((row) => typeof row === 'object' && row !== null && !Array.isArray(row)),
    `every item is a row object: ${shown(response)}`,
  );
  assert.equal(data.length, count, `rows written: ${shown(response)}`);
  return data as Row[];
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
