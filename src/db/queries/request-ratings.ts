import { sql, type Transaction } from 'kysely';
import type { Db } from '../connection.js';
import type { Database } from '../schema.js';
import type { StoredRating } from '../../domain/satisfaction.js';

type Executor = Transaction<Database> | Db;

// Satisfaction ratings (docs/product.md#satisfaction): one a request, by its reporter.

export type { StoredRating };

function ratingSelect(db: Executor) {
  return db
    .selectFrom('request_ratings as rr')
    .innerJoin('accounts as a', 'a.account_id', 'rr.rated_by')
    .select(['rr.rating', 'rr.comment', 'rr.rated_at', 'a.account_id', 'a.display_name', 'a.email', 'a.status']);
}

type RatingRow = Awaited<ReturnType<ReturnType<typeof ratingSelect>['executeTakeFirstOrThrow']>>;

function toRating(r: RatingRow): StoredRating {
  return {
    rating: r.rating,
    comment: r.comment,
    ratedAt: r.rated_at,
    ratedBy: { accountId: r.account_id, displayName: r.display_name, email: r.email, status: r.status },
  };
}

export async function findRequestRating(db: Executor, requestId: string): Promise<StoredRating | null> {
  const row = await ratingSelect(db).where('rr.request_id', '=', requestId).executeTakeFirst();
  return row ? toRating(row) : null;
}

/** Rates the request, or changes its rating (the time is the latest change's). */
export async function saveRequestRating(
  trx: Transaction<Database>,
  input: { requestId: string; siteId: string; projectId: string; rating: number; comment: string | null; ratedBy: string },
): Promise<void> {
  await trx
    .insertInto('request_ratings')
    .values({ request_id: input.requestId, site_id: input.siteId, project_id: input.projectId, rating: input.rating, comment: input.comment, rated_by: input.ratedBy })
    .onConflict((oc) =>
      oc.column('request_id').doUpdateSet({ rating: input.rating, comment: input.comment, rated_by: input.ratedBy, rated_at: sql<Date>`now()` }),
    )
    .execute();
}

export async function deleteRequestRating(trx: Transaction<Database>, requestId: string): Promise<boolean> {
  const result = await trx.deleteFrom('request_ratings').where('request_id', '=', requestId).executeTakeFirst();
  return Number(result.numDeletedRows) > 0;
}

export interface ProjectSatisfactionRows {
  /** ratings given, per rating 1..5 */
  counts: Record<1 | 2 | 3 | 4 | 5, number>;
  latest: Array<StoredRating & { key: string; summary: string }>;
}

/** A project's ratings: how many of each, and the latest `limit` with their requests. */
export async function projectSatisfaction(db: Executor, projectId: string, limit: number): Promise<ProjectSatisfactionRows> {
  const [counted, latest] = await Promise.all([
    db
      .selectFrom('request_ratings')
      .select(['rating', (eb) => eb.fn.countAll<string>().as('n')])
      .where('project_id', '=', projectId)
      .groupBy('rating')
      .execute(),
    ratingSelect(db)
      .innerJoin('requests as r', 'r.id', 'rr.request_id')
      .select(['r.key', 'r.summary'])
      .where('rr.project_id', '=', projectId)
      .orderBy('rr.rated_at', 'desc')
      .orderBy('rr.request_id', 'desc')
      .limit(limit)
      .execute(),
  ]);
  const counts = { 1: 0, 2: 0, 3: 0, 4: 0, 5: 0 } as ProjectSatisfactionRows['counts'];
  for (const c of counted) counts[c.rating as 1 | 2 | 3 | 4 | 5] = Number(c.n);
  return { counts, latest: latest.map((r) => ({ ...toRating(r), key: r.key, summary: r.summary })) };
}
