import { adminsOfSite, listReviews, type ReviewRow } from '../../db/queries/access-reviews.js';
import type { ActorContext } from '../context.js';
import { authorizeReviews } from './access-review-admin.js';

/** Reviews listed at most (newest first). */
const LISTED = 200;

export interface AccessReviewList {
  values: ReviewRow[];
  /** who may be named a reviewer: the site's admins (org admins and site admins) */
  reviewerCandidates: Array<{ accountId: string; displayName: string | null; email: string | null }>;
}

/** The site's access reviews, newest first, with their progress (docs/product.md#access-reviews). */
export async function listAccessReviews(ctx: ActorContext, input: { siteSlug: string }): Promise<AccessReviewList> {
  const site = await authorizeReviews(ctx, input.siteSlug, 'read');
  const [values, reviewerCandidates] = await Promise.all([listReviews(ctx.db, site.id, LISTED), adminsOfSite(ctx.db, site)]);
  return { values, reviewerCandidates };
}
