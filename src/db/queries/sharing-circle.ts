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
 * the circle's size (a request's few people, an organization's members, a project's customers), not
 * the site's; see docs/benchmarks.md for the project-wide level.
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
