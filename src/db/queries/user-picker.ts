import { sql } from 'kysely';
import type { Db } from '../connection.js';
import { normalizeForSearch, prefixUpperBound, searchTermsFor } from '../../domain/search-terms.js';
import { isStaffOfSiteOrganization } from './organization-staff.js';
import type { PickerAudience } from '../../domain/policies/people.js';

export const PICKER_DEFAULT_LIMIT = 20;
export const PICKER_MAX_LIMIT = 50;
/** REST `user/search` pages through every match, up to 1000 at a time as Atlassian's maxResults */
export const USER_SEARCH_MAX_LIMIT = 1000;

export type { PickerAudience };

export interface PickerSearch {
  siteId: string;
  query: string;
  /** default 20, at most `maxLimit` */
  limit?: number;
  /** the cap on `limit`: the pickers' 50 (default), or USER_SEARCH_MAX_LIMIT for REST user/search */
  maxLimit?: number;
  /** skip this many distinct accounts of the result order first (REST `startAt`); default 0 */
  offset?: number;
  /** 'customers': customer-facing fields (Share with, Affected user…); 'anyone': also the staff of the site's organization */
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

export function clampPickerLimit(limit: number | undefined, maxLimit: number = PICKER_MAX_LIMIT): number {
  const max = Math.max(1, Math.min(USER_SEARCH_MAX_LIMIT, Math.floor(maxLimit)));
  if (limit === undefined || !Number.isFinite(limit)) return Math.min(PICKER_DEFAULT_LIMIT, max);
  return Math.max(1, Math.min(max, Math.floor(limit)));
}

/** Query words, longest first (the longest narrows the index range scan most). */
function queryWords(query: string): string[] {
  const words = normalizeForSearch(query).split(/\s+/).filter(Boolean).slice(0, 5);
  return [...new Set(words)].sort((a, b) => b.length - a.length);
}

/**
 * The one user picker search, under every picker of the app (web pickers, REST user search, the
 * filter autocomplete); whom it may offer (`audience`) is domain/policies/people.ts. Word-prefix match, case-insensitive, on each word of
 * the display name and on the email; every query word must prefix some term of the account. Only
 * ACTIVE accounts have search terms, so a revoked or deleted customer is never a result.
 *
 * Order (stable): the matched term, then the name, then the account id — the key order of
 * account_search_terms, so the B-tree range scan yields rows already sorted and stops after a page,
 * however many of a million customers share the prefix. An account matching through two terms
 * (e.g. "alice" and "alice@…") appears once, at its first (smallest) term. `offset` skips that
 * many accounts of this order (the scan walks past them; it cannot jump).
 */
export async function searchUsersForPicker(db: Db, search: PickerSearch): Promise<{ users: PickerUser[]; total?: number }> {
  const limit = clampPickerLimit(search.limit, search.maxLimit);
  const offset = search.offset !== undefined && Number.isFinite(search.offset) ? Math.max(0, Math.floor(search.offset)) : 0;
  // the first `want` accounts of the merged order hold the page; each source gives its first `want`
  const want = offset + limit;
  const words = queryWords(search.query);
  if (words.length === 0) return { users: [], total: search.withTotal ? 0 : undefined };
  const [first, ...rest] = words;
  const exclude = (search.excludeAccountIds ?? []).filter(Boolean).slice(0, 1000);

  let customers = db
    .selectFrom('account_search_terms as t')
    .where('t.site_id', '=', search.siteId)
    .where('t.term', '>=', first)
    .where('t.term', '<', prefixUpperBound(first));
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

  // Keyset pages over (term, sort_name, account_id) until `want` distinct accounts are found.
  type Hit = { account_id: string; term: string; sort_name: string };
  const hits = new Map<string, Hit>();
  let after: Hit | undefined;
  const chunk = Math.min(want * 3, 3000);
  for (;;) {
    let page = customers.select(['t.account_id', 't.term', 't.sort_name']);
    if (after) {
      const a = after;
      page = page.where((eb) =>
        eb(eb.refTuple('t.term', 't.sort_name', 't.account_id'), '>', eb.tuple(a.term, a.sort_name, a.account_id)),
      );
    }
    const rows = await page.orderBy('t.term').orderBy('t.sort_name').orderBy('t.account_id').limit(chunk).execute();
    for (const r of rows) if (!hits.has(r.account_id) && hits.size < want) hits.set(r.account_id, r);
    if (hits.size >= want || rows.length < chunk) break;
    after = rows[rows.length - 1];
  }

  const key = (r: { term: string; sort_name: string; account_id: string }) => [r.term, r.sort_name, r.account_id];
  type Row = { account_id: string; term: string; sort_name: string; display_name: string | null; email: string | null; kind: 'staff' | 'customer' };
  let staffRows: Row[] = [];
  let staffTotal = 0;
  if (search.audience === 'anyone') {
    let staff = db
      .selectFrom('accounts as a')
      .where('a.kind', '=', 'staff')
      .where('a.status', '=', 'active')
      .where((eb) => isStaffOfSiteOrganization(eb.ref('a.account_id'), search.siteId));
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
    // A site's staff are few (customers are the many), and their picker order is by matched term,
    // which SQL cannot sort them by: every match is read, ordered here, and cut to `want`.
    const rows = await staff.select(['a.account_id', 'a.display_name', 'a.email', 'a.kind', 'a.sort_name']).execute();
    staffRows = rows
      .map((r) => ({
        ...r,
        sort_name: r.sort_name ?? '',
        term: searchTermsFor(r.display_name ?? '', r.email ?? '').filter((t) => t.startsWith(first)).sort()[0] ?? first,
      }))
      .sort((x, y) => compareTuples(key(x), key(y)));
    staffTotal = staffRows.length;
    staffRows = staffRows.slice(0, want);
  }

  // Merge both sources by the picker's key and cut the page; only its customers are loaded.
  const staffById = new Map(staffRows.map((r) => [r.account_id, r]));
  const pageKeys = [...hits.values(), ...staffRows].sort((x, y) => compareTuples(key(x), key(y))).slice(offset, want);
  const customerIds = pageKeys.filter((r) => !staffById.has(r.account_id)).map((r) => r.account_id);
  const accounts = customerIds.length
    ? await db
        .selectFrom('accounts')
        .select(['account_id', 'display_name', 'email', 'kind'])
        .where('account_id', 'in', customerIds)
        .where('status', '=', 'active')
        .execute()
    : [];
  const customerById = new Map(accounts.map((a) => [a.account_id, a]));
  const users = pageKeys.flatMap((r) => {
    const a = staffById.get(r.account_id) ?? customerById.get(r.account_id);
    return a ? [{ accountId: r.account_id, displayName: a.display_name ?? '', email: a.email ?? '', kind: a.kind }] : [];
  });

  let total: number | undefined;
  if (search.withTotal) {
    const c = await customers.select(sql<string>`count(distinct t.account_id)`.as('n')).executeTakeFirst();
    total = Number(c?.n ?? 0) + staffTotal;
  }
  return { users, total };
}

function compareTuples(a: string[], b: string[]): number {
  for (let i = 0; i < a.length; i++) {
    if (a[i] < b[i]) return -1;
    if (a[i] > b[i]) return 1;
  }
  return 0;
}
