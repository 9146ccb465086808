import type { Transaction } from 'kysely';
import type { Database } from '../../db/schema.js';
import { endReview, findDueReviews, findReview, findReviewSite, lockReview, reviewDecisions, setOutcomes, type ReviewRow } from '../../db/queries/access-reviews.js';
import { lockCustomersInSite } from '../../db/queries/customer-records.js';
import type { SiteRow } from '../../db/queries/sites.js';
import { reviewOutcome, reviewRevokeReason, type ReviewOutcome } from '../../domain/access-reviews.js';
import { ACCESS_REVIEW_DUE, authorOf, type ChangeAuthor } from '../audit.js';
import type { ActorContext, AppContext } from '../context.js';
import { checkNote } from '../customer-access/access-notice.js';
import { applyAccessChangeToCustomers } from '../customer-access/bulk-change-customer-access.js';
import { auditReviewEvent, authorizeReview, lockOpenReview, reviewRef } from './access-review-admin.js';
import { publishAccessReviewEvent, publisherOf } from '../webhooks/publish-customer-event.js';

export interface ReviewApplied {
  kept: number;
  revoked: number;
  alreadyRevoked: number;
  deleted: number;
  /** customers nobody decided, who got the review's default */
  defaulted: number;
}

/**
 * Applies a locked, open review in the caller's transaction (docs/product.md#access-reviews): each
 * customer's decision — or, undecided, the review's default — against their state now (a customer
 * revoked or deleted meanwhile is skipped and reported so; a Keep never grants), the revokes as ONE
 * bulk change through the ordinary revoke (applyAccessChangeToCustomers: sessions, tokens, pickers,
 * an audit event per customer naming the review, the organization's webhooks), the outcomes kept
 * for the report, the review completed and audited `access_review.completed` with the counts.
 */
async function applyLockedReview(trx: Transaction<Database>, ctx: AppContext, author: ChangeAuthor, site: SiteRow, review: ReviewRow, now: Date): Promise<ReviewApplied> {
  const decisions = await reviewDecisions(trx, review.id);
  const customers = new Map((await lockCustomersInSite(trx, site.id, decisions.map((d) => d.accountId))).map((c) => [c.accountId, c]));
  const outcomes = new Map<string, ReviewOutcome>();
  const counts: ReviewApplied = { kept: 0, revoked: 0, alreadyRevoked: 0, deleted: 0, defaulted: 0 };
  for (const d of decisions) {
    const outcome = reviewOutcome(d.decision, review.undecidedDefault, customers.get(d.accountId)?.status ?? 'deleted');
    outcomes.set(d.accountId, outcome);
    if (d.decision === null && (outcome === 'kept' || outcome === 'revoked')) counts.defaulted++;
    if (outcome === 'kept') counts.kept++;
    else if (outcome === 'revoked') counts.revoked++;
    else if (outcome === 'already_revoked') counts.alreadyRevoked++;
    else counts.deleted++;
  }
  const toRevoke = [...customers.values()].filter((c) => outcomes.get(c.accountId) === 'revoked');
  const note = checkNote({ reason: reviewRevokeReason(review.name), notify: review.notifyOnRevoke, includeReason: review.notifyOnRevoke });
  await applyAccessChangeToCustomers(trx, ctx, author, site, 'revoke', toRevoke, note, { bulk: true, accessReview: reviewRef(review) }, { accessReview: { id: review.id } });
  await setOutcomes(trx, review.id, outcomes);
  await endReview(trx, review.id, 'completed', author.kind === 'account' ? author.accountId : null, now);
  await auditReviewEvent(trx, ctx, author, site, review, 'access_review.completed', { ...counts, undecidedDefault: review.undecidedDefault, ...(author.kind === 'account' ? {} : { dueAt: review.dueAt?.toISOString() }) });
  await publishAccessReviewEvent(trx, publisherOf(ctx, author.kind === 'account' ? author.accountId : null), site, 'access_review.completed', {
    accessReview: { id: review.id },
    status: 'completed',
    customers: decisions.length,
    applied: counts,
  });
  return counts;
}

/** An admin completes an open review now: the decisions, and the default for the undecided, are applied. 400 once it has ended. */
export async function completeAccessReview(ctx: ActorContext, input: { siteSlug: string; reviewId: string }): Promise<{ review: ReviewRow; applied: ReviewApplied }> {
  const { site, review } = await authorizeReview(ctx, input, 'complete');
  const applied = await ctx.db.transaction().execute(async (trx) => {
    await lockOpenReview(trx, review);
    const current = (await findReview(trx, site.id, review.id))!;
    return applyLockedReview(trx, ctx, authorOf(ctx), site, current, new Date());
  });
  ctx.counters?.customerAccessChanged('revoke', applied.revoked);
  return { review: (await findReview(ctx.db, site.id, review.id))!, applied };
}

/** Reviews applied per run at most; the next run goes on. */
const BATCH = 20;

/**
 * Applies every open review whose due date has passed at `now` (the due-date job,
 * jobs/access-review-due.ts), each in its own transaction, as "Access review" (no actor account).
 * Exactly once whatever runs it at the same time on any instance: the review is locked (one another
 * instance holds is skipped) and checked again — still open, still due — before it is applied.
 * Returns how many reviews it applied.
 */
export async function completeDueAccessReviews(ctx: AppContext, now: Date): Promise<number> {
  const jobCtx: AppContext = { ...ctx, ip: null, userAgent: 'Portico access review' };
  let done = 0;
  for (const due of await findDueReviews(ctx.db, now, BATCH)) {
    const applied = await ctx.db.transaction().execute(async (trx) => {
      const locked = await lockReview(trx, due.id, { skipLocked: true });
      if (!locked || locked.status !== 'open') return null;
      const review = await findReview(trx, due.siteId, due.id);
      if (!review || !review.dueAt || review.dueAt > now) return null;
      const site = await findReviewSite(trx, due.siteId);
      return applyLockedReview(trx, jobCtx, ACCESS_REVIEW_DUE, site, review, now);
    });
    if (applied) {
      done++;
      ctx.counters?.customerAccessChanged('revoke', applied.revoked);
    }
  }
  return done;
}
