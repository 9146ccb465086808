import type { AppContext } from '../use-cases/context.js';
import { completeDueAccessReviews } from '../use-cases/access-reviews/apply-access-review.js';
import type { JobDefinition } from './runner.js';
import { sweepJob } from './sweep.js';

/** How often every server offers the due-date job: a review is applied within a minute of its due date. */
export const ACCESS_REVIEW_DUE_OFFER_SECONDS = 60;

/**
 * Applies the access reviews whose due date has passed (docs/product.md#access-reviews), the
 * undecided customers getting each review's default, as a sweep (sweep.ts): each review is locked
 * and checked again before it is applied, so it is applied once whatever number of servers run, and
 * after downtime the first run applies everything that fell due meanwhile.
 */
export function accessReviewDueJob(context: () => AppContext | undefined, now?: () => Date): JobDefinition<Record<string, never>> {
  return sweepJob('access-review-due', context, completeDueAccessReviews, now);
}
