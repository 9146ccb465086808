import { endReview, findReview, type ReviewRow } from '../../db/queries/access-reviews.js';
import { authorOf } from '../audit.js';
import type { ActorContext } from '../context.js';
import { auditReviewEvent, authorizeReview, lockOpenReview } from './access-review-admin.js';
import { publishAccessReviewEvent, publisherOf } from '../webhooks/publish-customer-event.js';

/**
 * Cancels an open review (docs/product.md#access-reviews): nobody's access changes, the decisions
 * made stay readable in its report. Audited `access_review.cancelled`; 400 once it has ended.
 */
export async function cancelAccessReview(ctx: ActorContext, input: { siteSlug: string; reviewId: string }): Promise<ReviewRow> {
  const { site, review } = await authorizeReview(ctx, input, 'cancel');
  await ctx.db.transaction().execute(async (trx) => {
    await lockOpenReview(trx, review);
    await endReview(trx, review.id, 'cancelled', ctx.actor.accountId, new Date());
    await auditReviewEvent(trx, ctx, authorOf(ctx), site, review, 'access_review.cancelled', { decided: review.progress.decided, customers: review.itemCount });
    await publishAccessReviewEvent(trx, publisherOf(ctx, ctx.actor.accountId), site, 'access_review.cancelled', { accessReview: { id: review.id }, status: 'cancelled' });
  });
  return (await findReview(ctx.db, site.id, review.id))!;
}
