import { findReviewItem, setDecision, type ReviewItemRow } from '../../db/queries/access-reviews.js';
import { isCustomerAccountId } from '../../db/queries/customer-records.js';
import type { ReviewDecision } from '../../domain/access-reviews.js';
import { badRequest, notFound } from '../../domain/errors.js';
import { authorOf } from '../audit.js';
import type { ActorContext } from '../context.js';
import { auditReviewEvent, authorizeReview, lockOpenReview } from './access-review-admin.js';

/**
 * A reviewer marks one customer of an open review Keep or Revoke, or clears the mark (`null`)
 * (docs/product.md#access-reviews). Nothing changes for the customer until the review is applied.
 * The last decision counts; a change is audited `access_review.decided` (the customer as target, the
 * decision), the same decision again writes nothing. A customer deleted since the review started has
 * nothing left to decide (400); the review must be open (400 once completed or cancelled).
 */
export async function decideAccessReviewItem(
  ctx: ActorContext,
  input: { siteSlug: string; reviewId: string; accountId: string; decision: ReviewDecision | null },
): Promise<ReviewItemRow> {
  const { site, review } = await authorizeReview(ctx, input, 'decide');
  const item = isCustomerAccountId(input.accountId) ? await findReviewItem(ctx.db, review.id, input.accountId) : undefined;
  if (!item) throw notFound('This customer is not in the review.');
  if (item.status === 'deleted') throw badRequest('This customer was deleted since the review started: there is nothing to decide.');
  await ctx.db.transaction().execute(async (trx) => {
    await lockOpenReview(trx, review);
    const current = await findReviewItem(trx, review.id, input.accountId);
    if (current?.decision === input.decision) return;
    await setDecision(trx, review.id, input.accountId, input.decision, ctx.actor.accountId, new Date());
    await auditReviewEvent(trx, ctx, authorOf(ctx), site, review, 'access_review.decided', { decision: input.decision ?? 'none' }, input.accountId);
  });
  return (await findReviewItem(ctx.db, review.id, input.accountId))!;
}
