/**
 * The Bridge's failures: the shared HttpError (turned into the envelope in
 * app.ts only), the schema-validation form that names a column, and the
 * mapping of PostgreSQL failures to clean errors that never carry SQL text,
 * bound values or connection URLs.
 */
import { HttpError } from '../shared/http-error.ts';

export { badRequest, forbidden, HttpError, notFound, unauthorized } from '../shared/http-error.ts';

/** 400 SCHEMA_VALIDATION_FAILED with `details.column`. */
export function invalidColumn(column: string, message: string): HttpError {
  const name = column.slice(0, 64);
  return new HttpError('SCHEMA_VALIDATION_FAILED', message, { column: name });
}

export function unknownColumn(column: string): HttpError {
  return invalidColumn(column, `unknown column: ${column.slice(0, 64)}`);
}

export const unavailable = (message: string) => new HttpError('SERVICE_UNAVAILABLE', message);

/** SQLSTATE classes and codes that mean "the database cannot be reached or used right now". */
const UNREACHABLE = /^(08|53|57P0|28|3D000)/;

function sqlState(error: unknown): string | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  // Server-side errors carry a severity; client-side ones (ECONNREFUSED, EPIPE, timeouts) do not.
  const { code, severity } = error as { code?: unknown; severity?: unknown };
  return typeof severity === 'string' && typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code) ? code : undefined;
}

function constraintOf(error: unknown): string {
  const constraint = (error as { constraint?: unknown }).constraint;
  return typeof constraint === 'string' && /^[A-Za-z0-9_]{1,63}$/.test(constraint) ? ` (${constraint})` : '';
}

/** A failure of a project-database statement as a clean HttpError. */
export function databaseError(error: unknown): HttpError {
  if (error instanceof HttpError) return error;
  const state = sqlState(error);
  if (state === undefined) return unavailable('project database unreachable');
  if (state === '23505')
    return new HttpError('CONFLICT', `a row with this unique value already exists${constraintOf(error)}`);
  if (state === '23503')
    return new HttpError(
      'BAD_REQUEST',
      `the row references a row that does not exist, or is still referenced${constraintOf(error)}`,
    );
  if (state === '23502') return new HttpError('BAD_REQUEST', 'a required value is missing');
  if (state.startsWith('23'))
    return new HttpError('BAD_REQUEST', `the values violate a database constraint${constraintOf(error)}`);
  if (state.startsWith('22')) return new HttpError('BAD_REQUEST', 'a value is invalid for its column');
  if (UNREACHABLE.test(state)) return unavailable('project database unreachable');
  return new HttpError('INTERNAL_ERROR', 'database error');
}
