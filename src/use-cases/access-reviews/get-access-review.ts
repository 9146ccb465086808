import { listReviewItems, type ReviewItemRow, type ReviewRow } from '../../db/queries/access-reviews.js';
import { pageOffset } from '../../domain/limits.js';
import type { ActorContext } from '../context.js';
import { authorizeReview } from './access-review-admin.js';

export interface AccessReviewView extends ReviewRow {
  /** whether the caller may decide in it (a reviewer, or any admin when it names none) */
  canDecide: boolean;
}

/** One review with its progress (docs/product.md#access-reviews). */
export async function getAccessReview(ctx: ActorContext, input: { siteSlug: string; reviewId: string }): Promise<AccessReviewView> {
  const { review } = await authorizeReview(ctx, input, 'read');
  const canDecide = review.reviewers.length === 0 || review.reviewers.some((r) => r.accountId === ctx.actor.accountId);
  return { ...review, canDecide };
}

export const REVIEW_ITEMS_PAGE_MAX = 200;

export interface ReviewItemPage {
  start: number;
  limit: number;
  total: number;
  isLastPage: boolean;
  values: ReviewItemRow[];
}

/**
 * A page of the review's customers in name order as snapshotted, each with their state now (a
 * customer revoked or deleted since shows so), the decision, who made it and when, and — once
 * applied — the outcome. `undecided`: only those still without a decision.
 */
export async function listAccessReviewItems(
  ctx: ActorContext,
  input: { siteSlug: string; reviewId: string; start?: number; limit?: number; undecided?: boolean },
): Promise<ReviewItemPage> {
  const { review } = await authorizeReview(ctx, input, 'read');
  const start = pageOffset(input.start);
  const limit = Math.max(1, Math.min(REVIEW_ITEMS_PAGE_MAX, Math.floor(input.limit ?? 50)));
  const values = await listReviewItems(ctx.db, review.id, { offset: start, limit, undecided: input.undecided });
  const total = input.undecided ? review.itemCount - review.progress.decided : review.itemCount;
  return { start, limit, total, isLastPage: start + values.length >= total, values };
}

export type { ReviewItemRow, ReviewRow };
