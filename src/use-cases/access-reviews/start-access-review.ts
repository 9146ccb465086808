import { adminsOfSite, findReview, insertReview, type ReviewRow } from '../../db/queries/access-reviews.js';
import { countCustomers } from '../../db/queries/customer-list.js';
import { checkDueDate, checkReviewName, REVIEW_MAX_CUSTOMERS, REVIEW_MAX_REVIEWERS, type ReviewDecision } from '../../domain/access-reviews.js';
import { badRequest } from '../../domain/errors.js';
import { authorOf } from '../audit.js';
import type { ActorContext } from '../context.js';
import { customerListQuery } from '../customers/customer-admin.js';
import { auditReviewEvent, authorizeReviews } from './access-review-admin.js';
import { publishAccessReviewEvent, publisherOf } from '../webhooks/publish-customer-event.js';

export interface StartAccessReviewInput {
  siteSlug: string;
  name: string;
  /** the customer list's filters: words of a name or email, inactive for more than N days; none: every customer with access */
  query?: string;
  inactiveDays?: number;
  dueAt?: string | null;
  undecidedDefault?: ReviewDecision;
  /** mail the site's revoke notice, with the reason, to the customers the review revokes */
  notifyOnRevoke?: boolean;
  reviewerIds?: string[];
}

/**
 * Starts a review of the site's customers who have access (docs/product.md#access-reviews): the
 * customers the filter matches now are snapshotted in name order (a customer added later is not in
 * it), with the due date, the default for the undecided and the reviewers — each an admin of the
 * site. 400 naming the field for a bad name, date, reviewer, an empty or too large selection; audited
 * `access_review.started`.
 */
export async function startAccessReview(ctx: ActorContext, input: StartAccessReviewInput): Promise<ReviewRow> {
  const site = await authorizeReviews(ctx, input.siteSlug, 'start');
  const name = checkReviewName(input.name);
  const now = new Date();
  const dueAt = checkDueDate(input.dueAt ? new Date(input.dueAt) : null, now);
  const undecidedDefault = input.undecidedDefault ?? 'keep';
  const scope = { siteId: site.id, ...customerListQuery({ query: input.query, inactiveDays: input.inactiveDays }), status: 'active' as const };
  const reviewerIds = [...new Set(input.reviewerIds ?? [])];
  if (reviewerIds.length > REVIEW_MAX_REVIEWERS) {
    const message = `At most ${REVIEW_MAX_REVIEWERS} reviewers.`;
    throw badRequest(message, { reviewerIds: message });
  }
  const admins = new Set((await adminsOfSite(ctx.db, site, reviewerIds)).map((a) => a.accountId));
  const notAdmins = reviewerIds.filter((id) => !admins.has(id));
  if (notAdmins.length > 0) {
    const message = `A reviewer must be a site admin or an org admin of this site: ${notAdmins.slice(0, 3).join(', ')}${notAdmins.length > 3 ? ` and ${notAdmins.length - 3} more` : ''}.`;
    throw badRequest(message, { reviewerIds: message });
  }
  const id = await ctx.db.transaction().execute(async (trx) => {
    const matching = await countCustomers(trx, scope);
    if (matching === 0) {
      const message = 'No customer with access matches this filter: there is nobody to review.';
      throw badRequest(message, { scope: message });
    }
    if (matching > REVIEW_MAX_CUSTOMERS) {
      const message = `The filter matches ${matching.toLocaleString('en-US')} customers; a review holds at most ${REVIEW_MAX_CUSTOMERS.toLocaleString('en-US')}. Narrow the filter.`;
      throw badRequest(message, { scope: message });
    }
    const created = await insertReview(trx, { siteId: site.id, name, scope, dueAt, undecidedDefault, notifyOnRevoke: input.notifyOnRevoke === true, createdBy: ctx.actor.accountId, reviewers: reviewerIds });
    await auditReviewEvent(trx, ctx, authorOf(ctx), site, { id: created.id, name }, 'access_review.started', {
      customers: created.itemCount,
      undecidedDefault,
      ...(input.notifyOnRevoke ? { notifyOnRevoke: true } : {}),
      ...(dueAt ? { dueAt: dueAt.toISOString() } : {}),
      ...(reviewerIds.length > 0 ? { reviewers: reviewerIds } : {}),
      ...(scope.query ? { query: scope.query } : {}),
      ...(scope.inactiveDays !== undefined ? { inactiveDays: scope.inactiveDays } : {}),
    });
    await publishAccessReviewEvent(trx, publisherOf(ctx, ctx.actor.accountId), site, 'access_review.started', { accessReview: { id: created.id }, status: 'open', customers: created.itemCount });
    return created.id;
  });
  return (await findReview(ctx.db, site.id, id))!;
}
