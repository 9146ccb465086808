import { sql } from 'kysely';
import type { Db } from '../connection.js';
import type { AccountStatus } from '../../domain/account-state.js';
import { normalizeForSearch, prefixUpperBound, searchTermsFor } from '../../domain/search-terms.js';
import type { PickerAudience } from '../../domain/policies/people.js';

export const PICKER_DEFAULT_LIMIT = 20;
export const PICKER_MAX_LIMIT = 50;
/** REST `user/search` pages through every match, up to 1000 at a time as Atlassian's maxResults */
export const USER_SEARCH_MAX_LIMIT = 1000;
/**
 * REST's `total` counts matching people up to this many and no further, as Atlassian's user searches
 * look "up to the thousandth user": an exact count of every customer sharing a one-letter prefix is a
 * walk of a sixth of a million-customer site for a number nobody reads (docs/product.md#picker-search).
 */
export const PICKER_TOTAL_HORIZON = 1000;

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
  /** count the matches, up to PICKER_TOTAL_HORIZON (for REST `total`), in the same round trip */
  withTotal?: boolean;
}

export interface PickerUser {
  accountId: string;
  displayName: string;
  email: string;
  kind: 'staff' | 'customer';
  /** the customer's site; null for staff */
  siteId: string | null;
  /** always 'active' (only active accounts are offered), carried for callers that present accounts */
  status: AccountStatus;
}

export function clampPickerLimit(limit: number | undefined, maxLimit: number = PICKER_MAX_LIMIT): number {
  const max = Math.max(1, Math.min(USER_SEARCH_MAX_LIMIT, Math.floor(maxLimit)));
  if (limit === undefined || !Number.isFinite(limit)) return Math.min(PICKER_DEFAULT_LIMIT, max);
  return Math.max(1, Math.min(max, Math.floor(limit)));
}

/** Query words, longest first (the longest narrows the index range scan most). */
export function queryWords(query: string): string[] {
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
  const staffLikes = search.audience === 'anyone' ? words.map((w) => w.replace(/[\\%_]/g, (c) => '\\' + c) + '%') : null;

  // One round trip (migration 20261202T1300_picker_function): the customers of the page, the
  // matching staff of the site's organization when the audience includes them, and the total.
  const { rows } = await sql<FunctionRow>`
    SELECT * FROM portico_pick_users(${search.siteId}::uuid, ${first}::text, ${prefixUpperBound(first)}::text,
      ${rest}::text[], ${rest.map(prefixUpperBound)}::text[], ${exclude}::text[], ${want}::int,
      ${staffLikes}::text[], ${search.withTotal === true}::boolean)`.execute(db);

  const key = (r: { term: string; sortName: string; accountId: string }) => [r.term, r.sortName, r.accountId];
  const customers: Hit[] = [];
  const staffMatches: Hit[] = [];
  let customerTotal = 0;
  for (const r of rows) {
    if (r.source === 'total') {
      customerTotal = Number(r.total ?? 0);
      continue;
    }
    const user: PickerUser = {
      accountId: r.account_id!,
      displayName: r.display_name ?? '',
      email: r.email ?? '',
      kind: r.kind!,
      siteId: r.account_site_id,
      status: r.status!,
    };
    if (r.source === 'customer') {
      customers.push({ user, term: r.term!, sortName: r.sort_name ?? '', accountId: user.accountId });
    } else {
      // A staff member's picker order is by the term that matched, which SQL cannot sort them by.
      const term = searchTermsFor(user.displayName, user.email).filter((t) => t.startsWith(first)).sort()[0] ?? first;
      staffMatches.push({ user, term, sortName: r.sort_name ?? '', accountId: user.accountId });
    }
  }
  staffMatches.sort((x, y) => compareTuples(key(x), key(y)));

  // Merge both sources by the picker's key and cut the page.
  const page = [...customers, ...staffMatches.slice(0, want)].sort((x, y) => compareTuples(key(x), key(y))).slice(offset, want);
  return {
    users: page.map((h) => h.user),
    total: search.withTotal ? Math.min(PICKER_TOTAL_HORIZON, customerTotal + staffMatches.length) : undefined,
  };
}

interface Hit {
  user: PickerUser;
  term: string;
  sortName: string;
  accountId: string;
}

interface FunctionRow {
  source: 'customer' | 'staff' | 'total';
  account_id: string | null;
  term: string | null;
  sort_name: string | null;
  display_name: string | null;
  email: string | null;
  kind: 'staff' | 'customer' | null;
  status: AccountStatus | null;
  account_site_id: string | null;
  total: string | number | null;
}

function compareTuples(a: string[], b: string[]): number {
  for (let i = 0; i < a.length; i++) {
    if (a[i] < b[i]) return -1;
    if (a[i] > b[i]) return 1;
  }
  return 0;
}
