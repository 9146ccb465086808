/**
 * One error family for the whole app. Use cases throw these; the HTTP layer maps `status` to the
 * response code and renders Atlassian's error shape {errorMessages, errors} — on the internal JSON
 * API with `code` as well, the stable machine name below (docs/architecture.md, "One contract").
 */
export type ErrorCode =
  | 'bad_request'
  | 'validation_failed'
  | 'unauthenticated'
  | 'forbidden'
  | 'not_found'
  | 'conflict'
  | 'rate_limited'
  | 'csrf'
  | 'unsupported_media_type'
  | 'payload_too_large'
  | 'unavailable';

const STATUS: Record<ErrorCode, number> = {
  bad_request: 400,
  validation_failed: 400,
  unauthenticated: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  rate_limited: 429,
  csrf: 403,
  unsupported_media_type: 415,
  payload_too_large: 413,
  unavailable: 503,
};

export class AppError extends Error {
  readonly status: number;
  constructor(
    readonly code: ErrorCode,
    message: string,
    /** field or parameter name → message, as in Atlassian's `errors` object */
    readonly fieldErrors: Record<string, string> = {},
    /** `cause`: what failed underneath, for the log (a 5xx is logged with it; the person sees the message) */
    options?: ErrorOptions,
  ) {
    super(message, options);
    this.status = STATUS[code];
  }
}

export const badRequest = (message: string, fieldErrors?: Record<string, string>) =>
  new AppError('bad_request', message, fieldErrors);
export const notFound = (message = 'Not found.') => new AppError('not_found', message);
export const forbidden = (message = 'You do not have permission to do this.') => new AppError('forbidden', message);
export const unauthenticated = (message = 'You are not logged in.') => new AppError('unauthenticated', message);
