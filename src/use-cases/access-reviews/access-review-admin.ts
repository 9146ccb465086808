import type { Transaction } from 'kysely';
import type { Database } from '../../db/schema.js';
import { findReview, lockReview, type ReviewRow } from '../../db/queries/access-reviews.js';
import { findSiteBySlug, type SiteRow } from '../../db/queries/sites.js';
import { badRequest, notFound } from '../../domain/errors.js';
import { decideAccessReview, type AccessReviewAction } from '../../domain/policies/access-reviews.js';
import { enforce } from '../authorize.js';
import { auditSiteChangeBy, type ChangeAuthor } from '../audit.js';
import type { ActorContext, AppContext } from '../context.js';

// The door to a site's access reviews, shared by the use cases of this folder
// (docs/product.md#access-reviews): the site, the review, the right to act on it
// (domain/policies/access-reviews.ts), the audit event naming the review.

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const MESSAGES = { notFound: 'Site not found.', forbidden: 'You do not have permission to review the customers of this site.' };

/** The site of the URL and the caller's right to `action` its reviews (404 unknown site or a stranger, 403 an agent). */
export async function authorizeReviews(ctx: ActorContext, siteSlug: string, action: 'read' | 'start'): Promise<SiteRow> {
  const site = ctx.urlSite?.slug === siteSlug ? ctx.urlSite : await findSiteBySlug(ctx.db, siteSlug);
  if (!site) throw notFound('Site not found.');
  enforce(decideAccessReview(ctx.actor, site, action), MESSAGES);
  return site;
}

/** The review of the site the URL names, and the caller's right to `action` it; 404 for a review of another site. */
export async function authorizeReview(ctx: ActorContext, input: { siteSlug: string; reviewId: string }, action: AccessReviewAction): Promise<{ site: SiteRow; review: ReviewRow }> {
  const site = await authorizeReviews(ctx, input.siteSlug, 'read');
  const review = UUID.test(input.reviewId) ? await findReview(ctx.db, site.id, input.reviewId) : undefined;
  if (!review) throw notFound('Access review not found.');
  enforce(decideAccessReview(ctx.actor, site, action, new Set(review.reviewers.map((r) => r.accountId))), {
    ...MESSAGES,
    forbidden: action === 'decide' ? 'Only the reviewers of this review can decide.' : MESSAGES.forbidden,
  });
  return { site, review };
}

/** Locks the review for a change and checks it is still open (a 400 saying how it ended otherwise). */
export async function lockOpenReview(trx: Transaction<Database>, review: ReviewRow): Promise<void> {
  const locked = await lockReview(trx, review.id);
  if (!locked) throw notFound('Access review not found.');
  if (locked.status !== 'open') throw badRequest(`This review is ${locked.status}: nothing can change in it any more.`);
}

/** The audit event of a change to a review or made by one: its id and name in the details. */
export async function auditReviewEvent(
  trx: Transaction<Database>,
  ctx: AppContext,
  author: ChangeAuthor,
  site: SiteRow,
  review: { id: string; name: string },
  action: string,
  details: Record<string, unknown> = {},
  targetId: string | null = null,
): Promise<void> {
  await auditSiteChangeBy(trx, ctx, author, site, action, { accessReview: reviewRef(review), ...details }, targetId);
}

export function reviewRef(review: { id: string; name: string }): { id: string; name: string } {
  return { id: review.id, name: review.name };
}
