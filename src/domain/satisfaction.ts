import type { AccountStatus } from './account-state.js';
import type { RequestStatus } from './request-workflow.js';

// Satisfaction (docs/product.md#satisfaction): once a request is resolved its reporter may rate it
// 1 to 5 with an optional comment, and change the rating while it stays resolved or closed.

export const RATEABLE_STATUSES: readonly RequestStatus[] = ['Resolved', 'Closed'];
export const RATING_COMMENT_MAX = 2000;

export function isRateable(status: RequestStatus): boolean {
  return RATEABLE_STATUSES.includes(status);
}

/** The problem with a rating as given, in words; null when it is fine. */
export function ratingProblem(rating: unknown): string | null {
  return typeof rating === 'number' && Number.isInteger(rating) && rating >= 1 && rating <= 5 ? null : 'A rating is a whole number from 1 to 5.';
}

/** The comment as stored: trimmed, null when empty; a problem when it is too long. */
export function ratingComment(comment: string | null | undefined): { comment: string | null } | { problem: string } {
  const text = (comment ?? '').trim();
  if (text.length > RATING_COMMENT_MAX) return { problem: `A comment on a rating can be at most ${RATING_COMMENT_MAX.toLocaleString('en-US')} characters.` };
  return { comment: text === '' ? null : text };
}

/** A request's rating as stored, with who gave it. */
export interface StoredRating {
  rating: number;
  comment: string | null;
  ratedAt: Date;
  ratedBy: { accountId: string; displayName: string | null; email: string | null; status: AccountStatus };
}
