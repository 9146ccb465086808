import { sql } from 'kysely';
import type { Db } from '../db/connection.js';
import { normalizeForSearch, prefixUpperBound } from '../domain/search-terms.js';

export const PICKER_DEFAULT_LIMIT = 20;
export const PICKER_MAX_LIMIT = 50;

export type PickerAudience = 'customers' | 'anyone';

export interface PickerSearch {
  siteId: string;
  query: string;
  /** default 20, at most 50 */
  limit?: number;
  /** 'customers': customer-facing fields (Share with, Affected user…); 'anyone': also the site's staff */
  audience: PickerAudience;
  excludeAccountIds?: string[];
  /** count every match (for REST `total`); costs a second query */
  withTotal?: boolean;
}

export interface PickerUser {
  accountId: string;
  displayName: string;
  email: string;
  kind: 'staff' | 'customer';
}

export function clampPickerLimit(limit: number | undefined): number {
  if (limit === undefined || !Number.isFinite(limit)) return PICKER_DEFAULT_LIMIT;
  return Math.max(1, Math.min(PICKER_MAX_LIMIT, Math.floor(limit)));
}

/** Query words, longest first (the longest narrows the index range scan most). */
function queryWords(query: string): string[] {
  const words = normalizeForSearch(query).split(/\s+/).filter(Boolean).slice(0, 5);
  return [...new Set(words)].sort((a, b) => b.length - a.length);
}

/**
 * The one user picker (PRODUCT.md §2.2 and §8). Word-prefix match, case-insensitive, on each word of
 * the display name and on the email; every query word must prefix some term. Only ACTIVE accounts
 * have search terms, so a revoked or deleted customer is never a result. Ordered by name, then
 * account id. Customers come from the B-tree on account_search_terms(site_id, term); staff of the
 * site (a handful) are matched directly.
 */
export async function searchUsersForPicker(db: Db, search: PickerSearch): Promise<{ users: PickerUser[]; total?: number }> {
  const limit = clampPickerLimit(search.limit);
  const words = queryWords(search.query);
  if (words.length === 0) return { users: [], total: search.withTotal ? 0 : undefined };
  const [first, ...rest] = words;
  const exclude = (search.excludeAccountIds ?? []).filter(Boolean).slice(0, 1000);

  let customers = db
    .selectFrom('account_search_terms as t')
    .innerJoin('accounts as a', 'a.account_id', 't.account_id')
    .where('t.site_id', '=', search.siteId)
    .where('t.term', '>=', first)
    .where('t.term', '<', prefixUpperBound(first))
    .where('a.status', '=', 'active');
  for (const w of rest) {
    customers = customers.where(({ exists, selectFrom }) =>
      exists(
        selectFrom('account_search_terms as t2')
          .select(sql.lit(1).as('one'))
          .whereRef('t2.account_id', '=', 't.account_id')
          .where('t2.site_id', '=', search.siteId)
          .where('t2.term', '>=', w)
          .where('t2.term', '<', prefixUpperBound(w)),
      ),
    );
  }
  if (exclude.length) customers = customers.where('t.account_id', 'not in', exclude);

  const customerRows = await customers
    .select(['a.account_id', 'a.display_name', 'a.email', 'a.kind', 't.sort_name'])
    .distinctOn(['t.sort_name', 't.account_id'])
    .orderBy('t.sort_name')
    .orderBy('t.account_id')
    .limit(limit)
    .execute();

  let staffRows: typeof customerRows = [];
  if (search.audience === 'anyone') {
    let staff = db
      .selectFrom('accounts as a')
      .where('a.kind', '=', 'staff')
      .where('a.status', '=', 'active')
      .where((eb) =>
        eb.or([
          eb.exists(eb.selectFrom('project_agents as pa').select(sql.lit(1).as('one')).whereRef('pa.account_id', '=', 'a.account_id').where('pa.site_id', '=', search.siteId)),
          eb.exists(eb.selectFrom('site_admins as sa').select(sql.lit(1).as('one')).whereRef('sa.account_id', '=', 'a.account_id').where('sa.site_id', '=', search.siteId)),
          eb.exists(
            eb.selectFrom('org_admins as oa').innerJoin('sites as s', 's.org_id', 'oa.org_id').select(sql.lit(1).as('one'))
              .whereRef('oa.account_id', '=', 'a.account_id').where('s.id', '=', search.siteId),
          ),
        ]),
      );
    for (const w of words) {
      const like = w.replace(/[\\%_]/g, (c) => '\\' + c) + '%';
      staff = staff.where((eb) =>
        eb.or([
          eb('a.email_lower', 'like', like),
          eb('a.sort_name', 'like', like),
          eb('a.sort_name', 'like', '% ' + like),
        ]),
      );
    }
    if (exclude.length) staff = staff.where('a.account_id', 'not in', exclude);
    staffRows = await staff
      .select(['a.account_id', 'a.display_name', 'a.email', 'a.kind', sql<string>`a.sort_name`.as('sort_name')])
      .orderBy('a.sort_name')
      .orderBy('a.account_id')
      .limit(limit)
      .execute();
  }

  const merged = [...customerRows, ...staffRows]
    .sort((x, y) => (x.sort_name < y.sort_name ? -1 : x.sort_name > y.sort_name ? 1 : x.account_id < y.account_id ? -1 : 1))
    .slice(0, limit);
  const users = merged.map((r) => ({ accountId: r.account_id, displayName: r.display_name ?? '', email: r.email ?? '', kind: r.kind }));

  let total: number | undefined;
  if (search.withTotal) {
    const c = await customers.select((eb) => eb.fn.count<string>(sql`distinct t.account_id`).as('n')).executeTakeFirst();
    total = Number(c?.n ?? 0) + staffRows.length;
  }
  return { users, total };
}
