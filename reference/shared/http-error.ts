/** The one error type of the reference services' routes (Hub and Bridge), and its JSON envelope. */

export type ErrorCode =
  | 'BAD_REQUEST'
  | 'SCHEMA_VALIDATION_FAILED'
  | 'UNAUTHORIZED'
  | 'FORBIDDEN'
  | 'NOT_FOUND'
  | 'CONFLICT'
  | 'SCHEMA_DRIFT'
  | 'INVALID_PERMISSIONS'
  | 'INVALID_ROLE'
  | 'TOO_MANY_REQUESTS'
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
  INVALID_PERMISSIONS: 422,
  INVALID_ROLE: 422,
  TOO_MANY_REQUESTS: 429,
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
export const conflict = (message: string, details?: Record<string, unknown>) =>
  new HttpError('CONFLICT', message, details);
export const unauthorized = (message: string) => new HttpError('UNAUTHORIZED', message);
export const forbidden = (message = 'insufficient role') => new HttpError('FORBIDDEN', message);
/** 422: a role name that is not valid for its scope (an API key's reserved role, a membership role). */
export const invalidRole = (message: string) => new HttpError('INVALID_ROLE', message);

export function envelope(error: HttpError, requestId: string): { error: Record<string, unknown> } {
  return {
    error: {
      code: error.code,
      message: error.message,
      requestId,
      ...(error.details ? { details: error.details } : {}),
    },
  };
}
