import { badRequest } from './errors.js';
import { displayNameProblem } from './display-name.js';

// Access reviews (docs/product.md#access-reviews): the rules of a review of a site's customers, from
// its start to the bulk change that applies it.

export type ReviewDecision = 'keep' | 'revoke';
export type ReviewStatus = 'open' | 'completed' | 'cancelled';
/** What applying a review did to a customer. */
export type ReviewOutcome = 'kept' | 'revoked' | 'already_revoked' | 'deleted';

/** A review holds at most this many customers (narrow the filter for more): it is applied in one transaction. */
export const REVIEW_MAX_CUSTOMERS = 5000;
export const REVIEW_MAX_REVIEWERS = 20;
/** A due date is at most a year ahead. */
export const REVIEW_MAX_DUE_DAYS = 366;
const DAY = 86_400_000;

/** The name as stored (trimmed): 1 to 255 characters, no control or text-direction characters; else a 400 naming `name`. */
export function checkReviewName(raw: string): string {
  const name = raw.trim();
  const problem = displayNameProblem(name);
  if (problem) throw badRequest(problem.replace('The name', "The review's name"), { name: problem.replace('The name', "The review's name") });
  return name;
}

/** A due date must be in the future and at most a year ahead; else a 400 naming `dueAt`. */
export function checkDueDate(dueAt: Date | null, now: Date): Date | null {
  if (dueAt === null) return null;
  if (Number.isNaN(dueAt.getTime()) || dueAt.getTime() <= now.getTime() || dueAt.getTime() > now.getTime() + REVIEW_MAX_DUE_DAYS * DAY) {
    const message = 'The due date must be in the future and at most a year ahead (ISO 8601).';
    throw badRequest(message, { dueAt: message });
  }
  return dueAt;
}

/**
 * What applying the review does to one customer, from the decision (or, undecided, the review's
 * default) and the customer's state at that moment: a customer deleted meanwhile is skipped, one
 * revoked meanwhile (by another admin, a policy, an expiry) stays revoked — a Keep never grants.
 */
export function reviewOutcome(decision: ReviewDecision | null, undecidedDefault: ReviewDecision, status: 'active' | 'revoked' | 'deleted'): ReviewOutcome {
  if (status === 'deleted') return 'deleted';
  if (status === 'revoked') return 'already_revoked';
  return (decision ?? undecidedDefault) === 'revoke' ? 'revoked' : 'kept';
}

/** The reason every revoke of a review carries (the account, the audit event, the list's "Reason: …"). */
export function reviewRevokeReason(name: string): string {
  return `Access review “${name}”`;
}

/** The report's words for an outcome (the screen and the CSV). */
export const OUTCOME_LABELS: Record<ReviewOutcome, string> = {
  kept: 'Kept',
  revoked: 'Revoked',
  already_revoked: 'Skipped: already revoked',
  deleted: 'Skipped: deleted',
};

/** Whether a review is due at `now`: open with a due date that has passed. */
export function isDue(review: { status: ReviewStatus; dueAt: Date | null }, now: Date): boolean {
  return review.status === 'open' && review.dueAt !== null && review.dueAt.getTime() <= now.getTime();
}
