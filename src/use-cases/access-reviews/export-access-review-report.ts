import { reviewItemsAfter, type ReviewItemRow, type ReviewRow } from '../../db/queries/access-reviews.js';
import { OUTCOME_LABELS } from '../../domain/access-reviews.js';
import { displayLabel } from '../../domain/display.js';
import { csvRecord } from '../../domain/spreadsheet-cells.js';
import type { ActorContext } from '../context.js';
import { authorizeReview } from './access-review-admin.js';

const BATCH = 1000;
const DECISION_LABELS = { keep: 'Keep', revoke: 'Revoke' } as const;

function reportRow(review: ReviewRow, i: ReviewItemRow): string {
  const deleted = i.status === 'deleted';
  return csvRecord([
    displayLabel({ display_name: i.displayName, status: i.status }),
    deleted ? '' : (i.email ?? ''),
    i.decision ? DECISION_LABELS[i.decision] : `Undecided (default: ${DECISION_LABELS[review.undecidedDefault]})`,
    i.decidedBy ? (i.decidedBy.displayName ?? i.decidedBy.accountId) : '',
    i.decidedAt ? i.decidedAt.toISOString() : '',
    i.outcome ? OUTCOME_LABELS[i.outcome] : '',
  ]);
}

/**
 * The review's report as CSV (docs/product.md#access-reviews): one line per customer in the order
 * of the review — Customer (as screens show them now), Email, Decision (or "Undecided" with the
 * default), Decided by, Decided at, Outcome (once applied) — every cell neutralized against formulas
 * and quoted (domain/spreadsheet-cells.ts). Read in batches, so a large review never sits in memory.
 */
export async function exportAccessReviewReport(ctx: ActorContext, input: { siteSlug: string; reviewId: string }): Promise<{ filename: string; lines: AsyncIterable<string> }> {
  const { site, review } = await authorizeReview(ctx, input, 'read');
  const db = ctx.db;
  async function* lines() {
    yield csvRecord(['Customer', 'Email', 'Decision', 'Decided by', 'Decided at', 'Outcome']);
    let after = 0;
    for (;;) {
      const batch = await reviewItemsAfter(db, review.id, after, BATCH);
      for (const i of batch) yield reportRow(review, i);
      if (batch.length < BATCH) return;
      after = batch[batch.length - 1].position;
    }
  }
  return { filename: `${site.slug}-access-review-${review.createdAt.toISOString().slice(0, 10)}.csv`, lines: lines() };
}
