import { sql, type Transaction } from 'kysely';
import type { Database, AccountStatus } from '../schema.js';
import type { Db } from '../connection.js';
import { normalizeForSearch, prefixUpperBound } from '../../domain/search-terms.js';
import { toRecord, type CustomerRecord } from './customer-records.js';

type Executor = Transaction<Database> | Db;

// The admin console's customer list: search, status filter, paging, export.

export type CustomerStatusFilter = 'all' | 'active' | 'revoked';

export interface CustomerListFilter {
  siteId: string;
  query: string;
  status: CustomerStatusFilter;
  /** only customers with no activity for more than this many days (never active: since they were created) */
  inactiveDays?: number;
}

/** The list's orders: by name, or by last activity (newest or oldest first; never active counts as oldest). */
export type CustomerSort = 'name' | 'lastActiveDesc' | 'lastActiveAsc';
export const CUSTOMER_SORTS: readonly CustomerSort[] = ['name', 'lastActiveDesc', 'lastActiveAsc'];

function likePrefix(word: string): string {
  return word.replace(/[\\%_]/g, (c) => '\\' + c) + '%';
}

function queryWords(query: string): string[] {
  const words = normalizeForSearch(query).split(/\s+/).filter(Boolean).slice(0, 5);
  return [...new Set(words)].sort((a, b) => b.length - a.length);
}

/** Query words this long or longer match anywhere in the name or the email (the trigram index). */
export const INFIX_MIN_LENGTH = 3;

/** What the trigram index of migration 20261204T0310 holds: the name and the email, lower-cased. */
const HAYSTACK = sql<string>`(coalesce(a.sort_name, '') || ' ' || coalesce(a.email_lower, ''))`;

/**
 * The ids of the customers a list/export shows, as a subquery. Without a query: the site's
 * non-deleted customers (accounts_site_list_idx / accounts_site_status_list_idx). With one, every
 * query word must be found: a word of 3 characters or more anywhere in the name or the email
 * ("@vendor.example", "xample"), through the trigram index accounts_customer_search_trgm_idx; a
 * shorter word, which has no trigram to look up, as a prefix of a word of the name or of the email
 * — the pickers' rule: active customers through the account_search_terms B-tree, revoked ones (who
 * have no picker terms, by design) through the revoked slice of accounts_site_status_list_idx.
 */
export function matchingCustomers(db: Executor, f: CustomerListFilter) {
  const words = queryWords(f.query);
  const statuses: AccountStatus[] = f.status === 'all' ? ['active', 'revoked'] : [f.status];
  let base = db
    .selectFrom('accounts as a')
    .where('a.site_id', '=', f.siteId)
    .where('a.kind', '=', 'customer')
    .where('a.status', 'in', statuses);
  if (f.inactiveDays !== undefined) {
    base = base.where(sql<boolean>`coalesce(a.last_active_at, a.created_at) < now() - make_interval(days => ${f.inactiveDays}::int)`);
  }
  if (words.length === 0) return base;
  const infix = words.filter((w) => w.length >= INFIX_MIN_LENGTH);
  const prefixWords = words.filter((w) => w.length < INFIX_MIN_LENGTH);
  let narrowed = base;
  for (const w of infix) narrowed = narrowed.where(sql<boolean>`${HAYSTACK} LIKE ${'%' + likePrefix(w)}`);
  if (prefixWords.length === 0) return narrowed;
  return narrowed.where('a.account_id', 'in', byPrefix(db, f, prefixWords));
}

/** The customers (active and revoked, by the status filter) with a name word or email that each of `words` prefixes. */
function byPrefix(db: Executor, f: CustomerListFilter, words: string[]) {
  const [first, ...rest] = words;
  const idsOfActive = () => {
    let t = db
      .selectFrom('account_search_terms as t')
      .select('t.account_id')
      .where('t.site_id', '=', f.siteId)
      .where('t.term', '>=', first)
      .where('t.term', '<', prefixUpperBound(first));
    for (const w of rest) {
      t = t.where(({ exists, selectFrom }) =>
        exists(
          selectFrom('account_search_terms as t2')
            .select(sql.lit(1).as('one'))
            .whereRef('t2.account_id', '=', 't.account_id')
            .where('t2.site_id', '=', f.siteId)
            .where('t2.term', '>=', w)
            .where('t2.term', '<', prefixUpperBound(w)),
        ),
      );
    }
    return t;
  };
  const idsOfRevoked = () => {
    let r = db
      .selectFrom('accounts as r')
      .select('r.account_id')
      .where('r.site_id', '=', f.siteId)
      .where('r.kind', '=', 'customer')
      .where('r.status', '=', 'revoked');
    for (const w of words) {
      const like = likePrefix(w);
      r = r.where((eb) =>
        eb.or([eb('r.email_lower', 'like', like), eb('r.sort_name', 'like', like), eb('r.sort_name', 'like', '% ' + like)]),
      );
    }
    return r;
  };
  if (f.status === 'active') return idsOfActive();
  if (f.status === 'revoked') return idsOfRevoked();
  return idsOfActive().union(idsOfRevoked());
}

export async function countCustomers(db: Executor, f: CustomerListFilter): Promise<number> {
  const row = await matchingCustomers(db, f)
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .executeTakeFirst();
  return Number(row?.n ?? 0);
}

/** One page in name order (offset paging), or — with `after` — the next keyset batch (export). */
export async function listCustomers(
  db: Executor,
  f: CustomerListFilter,
  page: { offset?: number; limit: number; after?: { sortName: string; accountId: string }; sort?: CustomerSort },
): Promise<CustomerRecord[]> {
  let q = matchingCustomers(db, f).select([
    'a.account_id',
    'a.site_id',
    'a.display_name',
    'a.email',
    'a.status',
    'a.created_at',
    'a.last_active_at',
    'a.revoked_at',
    'a.revoked_by',
    'a.revoke_reason',
    'a.access_until',
    'a.awaiting_verification',
    'a.sort_name',
  ]);
  if (page.after) {
    const { sortName, accountId } = page.after;
    q = q.where((eb) => eb.or([eb('a.sort_name', '>', sortName), eb.and([eb('a.sort_name', '=', sortName), eb('a.account_id', '>', accountId)])]));
  }
  if (page.sort === 'lastActiveDesc') q = q.orderBy(sql`a.last_active_at DESC NULLS LAST`).orderBy('a.sort_name').orderBy('a.account_id');
  else if (page.sort === 'lastActiveAsc') q = q.orderBy(sql`a.last_active_at ASC NULLS FIRST`).orderBy('a.sort_name').orderBy('a.account_id');
  else q = q.orderBy('a.sort_name').orderBy('a.account_id');
  q = q.limit(page.limit);
  if (page.offset) q = q.offset(page.offset);
  const rows = await q.execute();
  return rows.map((r) => ({ ...toRecord(r), sortName: r.sort_name ?? '' }) as CustomerRecord & { sortName: string });
}
