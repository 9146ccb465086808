import { ApiError } from '../api';

/** A surface's own words for some answers' statuses (a 404 or 403 that says "not here for you"). */
export type StatusTexts = Partial<Record<number, string>>;

/**
 * The one text a page shows for a failed request: the surface's words for the answer's status if it
 * has some, else the server's own message (api.ts: the first of its `errorMessages`), else a generic one.
 */
export function errorText(error: unknown, byStatus: StatusTexts = {}): string {
  if (error instanceof ApiError && byStatus[error.status] !== undefined) return byStatus[error.status]!;
  return error instanceof Error ? error.message : 'Something went wrong.';
}
