/** The one error type of the reference services' routes (Hub and Bridge), and its JSON envelope. */

export type ErrorCode =
  | 'BAD_REQUEST'
  | 'SCHEMA_VALIDATION_FAILED'
  | 'UNAUTHORIZED'
  | 'FORBIDDEN'
  | 'NOT_FOUND'
  | 'CONFLICT'
  | 'SCHEMA_DRIFT'
  | 'INTERNAL_ERROR'
  | 'SERVICE_UNAVAILABLE';

const STATUS: Record<ErrorCode, number> = {
  BAD_REQUEST: 400,
  SCHEMA_VALIDATION_FAILED: 400,
  UNAUTHORIZED: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  CONFLICT: 409,
  SCHEMA_DRIFT: 409,
  INTERNAL_ERROR: 500,
  SERVICE_UNAVAILABLE: 503,
};

export class HttpError extends Error {
  readonly code: ErrorCode;
  readonly status: number;
  readonly details: Record<string, unknown> | undefined;

  constructor(code: ErrorCode, message: string, details?: Record<string, unknown>) {
    super(message);
    this.code = code;
    this.status = STATUS[code];
    this.details = details;
  }
}

export const badRequest = (message: string) => new HttpError('BAD_REQUEST', message);
export const notFound = (message: string) => new HttpError('NOT_FOUND', message);
export const conflict = (message: string, details?: Record<string, unknown>) => new HttpError('CONFLICT', message, details);
export const unauthorized = (message: string) => new HttpError('UNAUTHORIZED', message);
export const forbidden = (message = 'insufficient role') => new HttpError('FORBIDDEN', message);

export function envelope(error: HttpError, requestId: string): { error: Record<string, unknown> } {
  return { error: { code: error.code, message: error.message, requestId, ...(error.details ? { details: error.details } : {}) } };
}
