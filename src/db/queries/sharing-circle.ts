import { sql, type SelectQueryBuilder, type Transaction } from 'kysely';
import type { Db } from '../connection.js';
import type { Database } from '../schema.js';
import type { SharingCircles } from '../../domain/policies/customer-organizations.js';
import { prefixUpperBound } from '../../domain/search-terms.js';
import { clampPickerLimit, queryWords, type PickerUser } from './user-picker.js';

type Executor = Transaction<Database> | Db;

/** Whose circle: the customer, the project of the portal and the request at hand (if any). */
export interface SharingCircleOf {
  siteId: string;
  customerId: string;
  projectId: string;
  /** the request being shared (its reporter and participants); null while raising one */
  requestId: string | null;
  circles: SharingCircles;
}

/**
 * The account ids of a customer's sharing circle (docs/product.md#customer-sharing), as one
 * subquery: the people on the request, fellow members of their organizations, the project's
 * customers and the members of its organizations, as the circles say. Null when it holds nobody.
 * Every part is an index look-up from a narrow key (request_participants' and
 * project_customers' primary keys, customer_organization_members_account_idx), never a scan of
 * the site's customers.
 */
function circleIds(db: Executor, of: SharingCircleOf) {
  const parts: Array<SelectQueryBuilder<Database, any, { account_id: string }>> = [];
  if (of.circles.request && of.requestId !== null) {
    parts.push(db.selectFrom('request_participants').select('account_id').where('request_id', '=', of.requestId).where('site_id', '=', of.siteId));
    parts.push(db.selectFrom('requests').select('reporter_id as account_id').where('id', '=', of.requestId).where('site_id', '=', of.siteId));
  }
  if (of.circles.organizations) {
    parts.push(
      db
        .selectFrom('customer_organization_members as mine')
        .innerJoin('customer_organization_members as theirs', 'theirs.organization_id', 'mine.organization_id')
        .select('theirs.account_id')
        .where('mine.account_id', '=', of.customerId)
        .where('mine.site_id', '=', of.siteId),
    );
  }
  if (of.circles.project) {
    parts.push(db.selectFrom('project_customers').select('account_id').where('project_id', '=', of.projectId).where('site_id', '=', of.siteId));
    parts.push(
      db
        .selectFrom('project_customer_organizations as po')
        .innerJoin('customer_organization_members as m', 'm.organization_id', 'po.organization_id')
        .select('m.account_id')
        .where('po.project_id', '=', of.projectId)
        .where('po.site_id', '=', of.siteId),
    );
  }
  if (parts.length === 0) return null;
  return parts.slice(1).reduce((u, p) => u.union(p), parts[0]);
}

/** Which of `ids` are in the customer's sharing circle (the server's check of a share). */
export async function idsInSharingCircle(db: Executor, of: SharingCircleOf, ids: readonly string[]): Promise<Set<string>> {
  const wanted = [...new Set(ids)].filter((id) => id.length > 0 && id.length <= 128);
  const circle = circleIds(db, of);
  if (wanted.length === 0 || circle === null) return new Set();
  const rows = await db.selectFrom(circle.as('c')).select('c.account_id').distinct().where('c.account_id', 'in', wanted).execute();
  return new Set(rows.map((r) => r.account_id));
}

/**
 * The picker narrowed to a customer's sharing circle: active customers of the site in the circle
 * whose search terms every query word prefixes (only active accounts have terms, so a revoked one
 * is never offered), ordered by name, then account id. Driven from the circle, so its cost follows
 * the circle's size (a request's few people, an organization's members), not the site's — except
 * "anyone in the project", whose circle may be most of the site: searchProjectForPicker below
 * (docs/benchmarks.md#sharing-circle).
 */
export async function searchSharingCircleForPicker(
  db: Db,
  search: { of: SharingCircleOf; query: string; limit?: number; excludeAccountIds?: string[]; includeSelf: boolean },
): Promise<PickerUser[]> {
  const limit = clampPickerLimit(search.limit);
  const words = queryWords(search.query);
  const circle = circleIds(db, search.of);
  if (words.length === 0 || circle === null) return [];
  const siteId = search.of.siteId;
  const exclude = [...(search.includeSelf ? [] : [search.of.customerId]), ...(search.excludeAccountIds ?? []).filter(Boolean).slice(0, 1000)];
  if (search.of.circles.project) return searchProjectForPicker(db, search.of, words, limit, exclude);
  let q = db
    .selectFrom('accounts as a')
    .select(['a.account_id', 'a.display_name', 'a.email', 'a.kind', 'a.site_id', 'a.status'])
    .where('a.site_id', '=', siteId)
    .where('a.kind', '=', 'customer')
    .where('a.status', '=', 'active')
    .where('a.account_id', 'in', circle);
  if (exclude.length) q = q.where('a.account_id', 'not in', exclude);
  for (const word of words) {
    q = q.where((eb) =>
      eb.exists(
        eb
          .selectFrom('account_search_terms as t')
          .select(sql.lit(1).as('one'))
          .whereRef('t.account_id', '=', 'a.account_id')
          .where('t.site_id', '=', siteId)
          .where(sql`t.term COLLATE "C"`, '>=', word)
          .where(sql`t.term COLLATE "C"`, '<', prefixUpperBound(word)),
      ),
    );
  }
  const rows = await q.orderBy('a.sort_name').orderBy('a.account_id').limit(limit).execute();
  return rows.map((r) => ({ accountId: r.account_id, displayName: r.display_name ?? '', email: r.email ?? '', kind: r.kind, siteId: r.site_id, status: r.status }));
}

/**
 * "Anyone in the project": its customer list may be most of a large site, so this level is driven
 * like the staff picker — the account_search_terms B-tree range of the longest word, in its key order
 * (term, name, id) — and each candidate is checked for a place in the circle by primary-key look-ups
 * (project_customers, the project's organizations' members, or the small parts). Rows are read a
 * batch at a time until `limit` distinct accounts are found (an account can match through several
 * terms), so a page costs about a page when the project holds most of the site; a project that holds
 * few of a site's many matching customers costs a walk of the matching terms (docs/benchmarks.md#sharing-circle).
 */
async function searchProjectForPicker(db: Db, of: SharingCircleOf, words: string[], limit: number, exclude: string[]): Promise<PickerUser[]> {
  const [first, ...rest] = words;
  const small = circleIds(db, { ...of, circles: { ...of.circles, project: false } });
  const found = new Map<string, PickerUser>();
  const batch = limit * 2;
  let after: { term: string; sortName: string; accountId: string } | undefined;
  for (;;) {
    let q = db
      .selectFrom('account_search_terms as t')
      .innerJoin('accounts as a', 'a.account_id', 't.account_id')
      .select(['t.term', 't.sort_name', 'a.account_id', 'a.display_name', 'a.email', 'a.kind', 'a.site_id', 'a.status'])
      .where('t.site_id', '=', of.siteId)
      .where(sql`t.term COLLATE "C"`, '>=', first)
      .where(sql`t.term COLLATE "C"`, '<', prefixUpperBound(first))
      .where('a.kind', '=', 'customer')
      .where('a.status', '=', 'active')
      .where((eb) =>
        eb.or([
          eb.exists(eb.selectFrom('project_customers as pc').select(sql.lit(1).as('one')).where('pc.project_id', '=', of.projectId).whereRef('pc.account_id', '=', 't.account_id')),
          eb.exists(
            eb
              .selectFrom('project_customer_organizations as po')
              .innerJoin('customer_organization_members as m', 'm.organization_id', 'po.organization_id')
              .select(sql.lit(1).as('one'))
              .where('po.project_id', '=', of.projectId)
              .whereRef('m.account_id', '=', 't.account_id'),
          ),
          ...(small ? [eb('t.account_id', 'in', small)] : []),
        ]),
      );
    if (exclude.length) q = q.where('t.account_id', 'not in', exclude);
    for (const word of rest) {
      q = q.where((eb) =>
        eb.exists(
          eb
            .selectFrom('account_search_terms as t2')
            .select(sql.lit(1).as('one'))
            .whereRef('t2.account_id', '=', 't.account_id')
            .where('t2.site_id', '=', of.siteId)
            .where(sql`t2.term COLLATE "C"`, '>=', word)
            .where(sql`t2.term COLLATE "C"`, '<', prefixUpperBound(word)),
        ),
      );
    }
    if (after) {
      const a = after;
      q = q.where(sql<boolean>`(t.term, t.sort_name, t.account_id) > (${a.term}, ${a.sortName}, ${a.accountId})`);
    }
    const rows = await q.orderBy('t.term').orderBy('t.sort_name').orderBy('t.account_id').limit(batch).execute();
    for (const r of rows) {
      if (found.size >= limit) break;
      if (!found.has(r.account_id)) {
        found.set(r.account_id, { accountId: r.account_id, displayName: r.display_name ?? '', email: r.email ?? '', kind: r.kind, siteId: r.site_id, status: r.status });
      }
    }
    if (found.size >= limit || rows.length < batch) return [...found.values()];
    const last = rows[rows.length - 1]!;
    after = { term: last.term, sortName: last.sort_name, accountId: last.account_id };
  }
}
