import type { ReviewItemRow, ReviewRow } from '../../use-cases/access-reviews/get-access-review.js';
import { displayLabel } from '../../domain/display.js';

/** A review as the admin console and REST send it (times as ISO 8601). */
export function presentAccessReview(r: ReviewRow & { canDecide?: boolean }) {
  return {
    id: r.id,
    name: r.name,
    scope: { query: r.scopeQuery, inactiveDays: r.scopeInactiveDays },
    dueAt: r.dueAt?.toISOString() ?? null,
    undecidedDefault: r.undecidedDefault,
    notifyOnRevoke: r.notifyOnRevoke,
    status: r.status,
    customers: r.itemCount,
    progress: r.progress,
    reviewers: r.reviewers,
    createdBy: r.createdBy,
    createdAt: r.createdAt.toISOString(),
    endedBy: r.endedBy,
    endedAt: r.endedAt?.toISOString() ?? null,
    ...(r.canDecide !== undefined ? { canDecide: r.canDecide } : {}),
  };
}

/** One customer of a review: a deleted one keeps no name or address (docs/product.md#display-rule). */
export function presentReviewItem(i: ReviewItemRow) {
  const deleted = i.status === 'deleted';
  return {
    accountId: i.accountId,
    displayName: deleted ? null : i.displayName,
    label: displayLabel({ display_name: i.displayName, status: i.status }),
    email: deleted ? null : i.email,
    status: i.status,
    lastActiveAt: i.lastActiveAt?.toISOString() ?? null,
    decision: i.decision,
    decidedBy: i.decidedBy,
    decidedAt: i.decidedAt?.toISOString() ?? null,
    outcome: i.outcome,
  };
}
