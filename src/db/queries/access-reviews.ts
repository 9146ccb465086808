import { randomUUID } from 'node:crypto';
import { sql, type Transaction } from 'kysely';
import type { Database } from '../schema.js';
import type { Db } from '../connection.js';
import { matchingCustomers, type CustomerListFilter } from './customer-list.js';
import { toSiteRow, type SiteRow } from './sites.js';
import type { ReviewDecision, ReviewOutcome, ReviewStatus } from '../../domain/access-reviews.js';

// Access reviews and their customers (docs/product.md#access-reviews): rows in, rows out; who may
// see or change them is decided by the use cases (use-cases/access-reviews).

type Trx = Transaction<Database>;
type Executor = Trx | Db;

export interface ReviewRow {
  id: string;
  siteId: string;
  name: string;
  scopeQuery: string;
  scopeInactiveDays: number | null;
  dueAt: Date | null;
  undecidedDefault: ReviewDecision;
  notifyOnRevoke: boolean;
  status: ReviewStatus;
  itemCount: number;
  createdBy: { accountId: string; displayName: string | null };
  createdAt: Date;
  endedBy: { accountId: string; displayName: string | null } | null;
  endedAt: Date | null;
  reviewers: Array<{ accountId: string; displayName: string | null; email: string | null }>;
  progress: { decided: number; keep: number; revoke: number };
}

export interface NewReview {
  siteId: string;
  name: string;
  scope: CustomerListFilter;
  dueAt: Date | null;
  undecidedDefault: ReviewDecision;
  notifyOnRevoke: boolean;
  createdBy: string;
  reviewers: string[];
}

/** Creates the review and snapshots the customers its filter matches now, in name order; returns its id and size. */
export async function insertReview(trx: Trx, r: NewReview): Promise<{ id: string; itemCount: number }> {
  const id = randomUUID();
  await trx
    .insertInto('access_reviews')
    .values({
      id,
      site_id: r.siteId,
      name: r.name,
      scope_query: r.scope.query,
      scope_inactive_days: r.scope.inactiveDays ?? null,
      due_at: r.dueAt,
      undecided_default: r.undecidedDefault,
      notify_on_revoke: r.notifyOnRevoke,
      item_count: 0,
      created_by: r.createdBy,
    })
    .execute();
  await trx
    .insertInto('access_review_items')
    .columns(['review_id', 'position', 'account_id'])
    .expression(
      matchingCustomers(trx, r.scope).select([
        sql<string>`${id}::uuid`.as('review_id'),
        sql<number>`(row_number() OVER (ORDER BY a.sort_name, a.account_id))::int`.as('position'),
        'a.account_id',
      ]),
    )
    .execute();
  const counted = await trx.selectFrom('access_review_items').select(sql<number>`count(*)::int`.as('n')).where('review_id', '=', id).executeTakeFirstOrThrow();
  const itemCount = Number(counted.n);
  await trx.updateTable('access_reviews').set({ item_count: itemCount }).where('id', '=', id).execute();
  if (r.reviewers.length > 0) await trx.insertInto('access_review_reviewers').values(r.reviewers.map((account_id) => ({ review_id: id, account_id }))).execute();
  return { id, itemCount };
}

/** Of these accounts, the staff who administer the site: org admins of its organization and its site admins. */
export async function adminsOfSite(db: Executor, site: { id: string; orgId: string }, accountIds?: string[]): Promise<Array<{ accountId: string; displayName: string | null; email: string | null }>> {
  if (accountIds && accountIds.length === 0) return [];
  let q = db
    .selectFrom('accounts as a')
    .select(['a.account_id as accountId', 'a.display_name as displayName', 'a.email'])
    .where('a.kind', '=', 'staff')
    .where('a.status', '=', 'active')
    .where((eb) =>
      eb.or([
        eb.exists(eb.selectFrom('org_admins as o').select('o.account_id').whereRef('o.account_id', '=', 'a.account_id').where('o.org_id', '=', site.orgId)),
        eb.exists(eb.selectFrom('site_admins as s').select('s.account_id').whereRef('s.account_id', '=', 'a.account_id').where('s.site_id', '=', site.id)),
      ]),
    );
  if (accountIds) q = q.where('a.account_id', 'in', accountIds);
  return q.orderBy('a.display_name').orderBy('a.account_id').execute();
}

function reviewsQuery(db: Executor) {
  return db
    .selectFrom('access_reviews as r')
    .innerJoin('accounts as c', 'c.account_id', 'r.created_by')
    .leftJoin('accounts as e', 'e.account_id', 'r.ended_by')
    .select([
      'r.id',
      'r.site_id',
      'r.name',
      'r.scope_query',
      'r.scope_inactive_days',
      'r.due_at',
      'r.undecided_default',
      'r.notify_on_revoke',
      'r.status',
      'r.item_count',
      'r.created_by',
      'c.display_name as created_by_name',
      'r.created_at',
      'r.ended_by',
      'e.display_name as ended_by_name',
      'r.ended_at',
      (eb) => eb.selectFrom('access_review_items as i').select(sql<number>`count(i.decision)::int`.as('n')).whereRef('i.review_id', '=', 'r.id').as('decided'),
      (eb) => eb.selectFrom('access_review_items as i').select(sql<number>`count(*)::int`.as('n')).whereRef('i.review_id', '=', 'r.id').where('i.decision', '=', 'revoke').as('revoke'),
    ]);
}

type ReviewQueryRow = Awaited<ReturnType<ReturnType<typeof reviewsQuery>['execute']>>[number];

async function withReviewers(db: Executor, rows: ReviewQueryRow[]): Promise<ReviewRow[]> {
  if (rows.length === 0) return [];
  const reviewers = await db
    .selectFrom('access_review_reviewers as v')
    .innerJoin('accounts as a', 'a.account_id', 'v.account_id')
    .select(['v.review_id', 'a.account_id as accountId', 'a.display_name as displayName', 'a.email'])
    .where('v.review_id', 'in', rows.map((r) => r.id))
    .orderBy('a.display_name')
    .execute();
  return rows.map((r) => {
    const decided = Number(r.decided ?? 0);
    const revoke = Number(r.revoke ?? 0);
    return {
      id: r.id,
      siteId: r.site_id,
      name: r.name,
      scopeQuery: r.scope_query,
      scopeInactiveDays: r.scope_inactive_days,
      dueAt: r.due_at ? new Date(r.due_at) : null,
      undecidedDefault: r.undecided_default,
      notifyOnRevoke: r.notify_on_revoke,
      status: r.status,
      itemCount: r.item_count,
      createdBy: { accountId: r.created_by, displayName: r.created_by_name },
      createdAt: new Date(r.created_at),
      endedBy: r.ended_by ? { accountId: r.ended_by, displayName: r.ended_by_name ?? null } : null,
      endedAt: r.ended_at ? new Date(r.ended_at) : null,
      reviewers: reviewers.filter((v) => v.review_id === r.id).map(({ accountId, displayName, email }) => ({ accountId, displayName, email })),
      progress: { decided, revoke, keep: decided - revoke },
    };
  });
}

/** The site's reviews, newest first (at most `limit`). */
export async function listReviews(db: Executor, siteId: string, limit: number): Promise<ReviewRow[]> {
  return withReviewers(db, await reviewsQuery(db).where('r.site_id', '=', siteId).orderBy('r.created_at', 'desc').orderBy('r.id').limit(limit).execute());
}

/** One review of the site; undefined for an unknown id or a review of another site. */
export async function findReview(db: Executor, siteId: string, id: string): Promise<ReviewRow | undefined> {
  const rows = await reviewsQuery(db).where('r.site_id', '=', siteId).where('r.id', '=', id).execute();
  return (await withReviewers(db, rows))[0];
}

/**
 * Locks the review's row for a change (a decision, completing, cancelling, the due-date job), so a
 * decision cannot slip in while the review is applied. `skipLocked`: the job passes a review another
 * instance is applying right now.
 */
export async function lockReview(trx: Trx, id: string, options: { skipLocked?: boolean } = {}): Promise<{ status: ReviewStatus; siteId: string } | undefined> {
  let q = trx.selectFrom('access_reviews').select(['status', 'site_id']).where('id', '=', id).forUpdate();
  if (options.skipLocked) q = q.skipLocked();
  const row = await q.executeTakeFirst();
  return row && { status: row.status, siteId: row.site_id };
}

export interface ReviewItemRow {
  position: number;
  accountId: string;
  displayName: string | null;
  email: string | null;
  status: 'active' | 'revoked' | 'deleted';
  lastActiveAt: Date | null;
  decision: ReviewDecision | null;
  decidedBy: { accountId: string; displayName: string | null } | null;
  decidedAt: Date | null;
  outcome: ReviewOutcome | null;
}

function itemsQuery(db: Executor, reviewId: string) {
  return db
    .selectFrom('access_review_items as i')
    .innerJoin('accounts as a', 'a.account_id', 'i.account_id')
    .leftJoin('accounts as d', 'd.account_id', 'i.decided_by')
    .select([
      'i.position',
      'i.account_id',
      'a.display_name',
      'a.email',
      'a.status',
      'a.last_active_at',
      'i.decision',
      'i.decided_by',
      'd.display_name as decided_by_name',
      'i.decided_at',
      'i.outcome',
    ])
    .where('i.review_id', '=', reviewId);
}

function toItem(r: Awaited<ReturnType<ReturnType<typeof itemsQuery>['execute']>>[number]): ReviewItemRow {
  return {
    position: r.position,
    accountId: r.account_id,
    displayName: r.display_name,
    email: r.email,
    status: r.status,
    lastActiveAt: r.last_active_at ? new Date(r.last_active_at) : null,
    decision: r.decision,
    decidedBy: r.decided_by ? { accountId: r.decided_by, displayName: r.decided_by_name ?? null } : null,
    decidedAt: r.decided_at ? new Date(r.decided_at) : null,
    outcome: r.outcome,
  };
}

/** A page of the review's customers in the order they were snapshotted; `undecided` only those without a decision. */
export async function listReviewItems(db: Executor, reviewId: string, page: { offset: number; limit: number; undecided?: boolean }): Promise<ReviewItemRow[]> {
  let q = itemsQuery(db, reviewId);
  if (page.undecided) q = q.where('i.decision', 'is', null);
  const rows = await q.orderBy('i.position').offset(page.offset).limit(page.limit).execute();
  return rows.map(toItem);
}

/** A batch of the review's customers after `afterPosition` (the report's export). */
export async function reviewItemsAfter(db: Executor, reviewId: string, afterPosition: number, limit: number): Promise<ReviewItemRow[]> {
  const rows = await itemsQuery(db, reviewId).where('i.position', '>', afterPosition).orderBy('i.position').limit(limit).execute();
  return rows.map(toItem);
}

/** One customer of the review; undefined when the review does not hold them. */
export async function findReviewItem(db: Executor, reviewId: string, accountId: string): Promise<ReviewItemRow | undefined> {
  const row = await itemsQuery(db, reviewId).where('i.account_id', '=', accountId).executeTakeFirst();
  return row && toItem(row);
}

export async function setDecision(trx: Trx, reviewId: string, accountId: string, decision: ReviewDecision | null, by: string, at: Date): Promise<void> {
  await trx
    .updateTable('access_review_items')
    .set(decision === null ? { decision: null, decided_by: null, decided_at: null } : { decision, decided_by: by, decided_at: at })
    .where('review_id', '=', reviewId)
    .where('account_id', '=', accountId)
    .execute();
}

/** Every customer of the review with its decision (applying it). */
export async function reviewDecisions(trx: Trx, reviewId: string): Promise<Array<{ accountId: string; decision: ReviewDecision | null }>> {
  const rows = await trx.selectFrom('access_review_items').select(['account_id', 'decision']).where('review_id', '=', reviewId).orderBy('position').execute();
  return rows.map((r) => ({ accountId: r.account_id, decision: r.decision }));
}

/** Records what applying the review did to each customer, one statement per outcome. */
export async function setOutcomes(trx: Trx, reviewId: string, outcomes: Map<string, ReviewOutcome>): Promise<void> {
  const byOutcome = new Map<ReviewOutcome, string[]>();
  for (const [accountId, outcome] of outcomes) byOutcome.set(outcome, [...(byOutcome.get(outcome) ?? []), accountId]);
  for (const [outcome, ids] of byOutcome) {
    await trx.updateTable('access_review_items').set({ outcome }).where('review_id', '=', reviewId).where('account_id', 'in', ids).execute();
  }
}

export async function endReview(trx: Trx, reviewId: string, status: 'completed' | 'cancelled', by: string | null, at: Date): Promise<void> {
  await trx.updateTable('access_reviews').set({ status, ended_by: by, ended_at: at }).where('id', '=', reviewId).execute();
}

/** Open reviews whose due date has passed at `now`, oldest due first (access_reviews_due_idx). */
export async function findDueReviews(db: Executor, now: Date, limit: number): Promise<Array<{ id: string; siteId: string }>> {
  const rows = await db
    .selectFrom('access_reviews')
    .select(['id', 'site_id'])
    .where('status', '=', 'open')
    .where('due_at', '<=', now)
    .orderBy('due_at')
    .limit(limit)
    .execute();
  return rows.map((r) => ({ id: r.id, siteId: r.site_id }));
}

/** The site a review belongs to (the due-date job, which starts from the review). */
export async function findReviewSite(db: Executor, siteId: string): Promise<SiteRow> {
  const row = await db
    .selectFrom('sites as s')
    .innerJoin('organizations as o', 'o.id', 's.org_id')
    .select(['s.id', 's.org_id', 's.slug', 's.name', 'o.name as org_name', 'o.user_management'])
    .where('s.id', '=', siteId)
    .executeTakeFirstOrThrow();
  return toSiteRow(row);
}
