import { sql, type Transaction } from 'kysely';
import type { Database, AccountStatus } from '../schema.js';
import type { CustomerRecord } from '../../domain/customers.js';
import type { Db } from '../connection.js';
import { findSiteBySlug, type SiteRow } from './sites.js';
import { deleteSearchTerms } from './customers.js';
import { appendAuditEvent } from './audit.js';
import { searchTermsFor, sortNameFor, normalizeForSearch, prefixUpperBound } from '../../domain/search-terms.js';
import { badRequest, notFound, forbidden, unauthenticated } from '../../domain/errors.js';
import { decideCustomerAdmin, type Actor, type CustomerAdminAction } from '../../domain/policies.js';

type Trx = Transaction<Database>;
type Executor = Trx | Db;

/**
 * Loading and locking a portal-only customer within one site, shared by every customer-administration
 * use case (revoke, grant, password, name, delete, bulk, list, export).
 */
export type { CustomerRecord };

const CUSTOMER_ID = /^qm:[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** A portal-only account id is `qm:` + a UUID (docs/product.md#customer-accounts); anything else is a 400, not a lookup. */
export function isCustomerAccountId(id: string): boolean {
  return CUSTOMER_ID.test(id);
}

export function assertCustomerAccountId(id: string): void {
  if (!isCustomerAccountId(id)) {
    const msg = `'${id.length > 80 ? id.slice(0, 80) + '…' : id}' is not a valid portal-only account id (expected qm: followed by a UUID).`;
    throw badRequest(msg, { accountId: msg });
  }
}

const COLUMNS = [
  'account_id',
  'site_id',
  'display_name',
  'email',
  'status',
  'created_at',
  'last_active_at',
  'revoked_at',
  'revoked_by',
] as const;

type Row = {
  account_id: string;
  site_id: string | null;
  display_name: string | null;
  email: string | null;
  status: AccountStatus;
  created_at: Date;
  last_active_at: Date | null;
  revoked_at: Date | null;
  revoked_by: string | null;
};

export function toRecord(r: Row): CustomerRecord {
  return {
    accountId: r.account_id,
    siteId: r.site_id!,
    displayName: r.display_name,
    email: r.email,
    status: r.status,
    createdAt: new Date(r.created_at),
    lastActiveAt: r.last_active_at ? new Date(r.last_active_at) : null,
    revokedAt: r.revoked_at ? new Date(r.revoked_at) : null,
    revokedBy: r.revoked_by,
  };
}

/**
 * The site of an admin URL and the caller's right to do `action` there: 401 anonymous, 404 unknown
 * site or another organization's/site's admin, 403 someone with standing on the site but not this right.
 */
export async function authorizeSiteAction(db: Db, actor: Actor | null, siteSlug: string, action: CustomerAdminAction): Promise<SiteRow> {
  if (!actor) throw unauthenticated();
  const site = siteSlug.length <= 63 ? await findSiteBySlug(db, siteSlug) : undefined;
  if (!site) throw notFound('Site not found.');
  const decision = decideCustomerAdmin(actor, site, action);
  if (decision === 'not_found') throw notFound('Site not found.');
  if (decision === 'forbidden') throw forbidden('You do not have permission to administer the customers of this site.');
  return site;
}

/**
 * The preamble of an admin action on one customer: a malformed id is a 400 before any lookup, then
 * the caller's right to `action` on the site (401/404/403 as authorizeSiteAction).
 */
export async function authorizeCustomerAction(
  db: Db,
  actor: Actor | null,
  input: { siteSlug: string; accountId: string },
  action: CustomerAdminAction,
): Promise<SiteRow> {
  assertCustomerAccountId(input.accountId);
  return authorizeSiteAction(db, actor, input.siteSlug, action);
}

/** The audit event of an admin action on one customer of `site`, inside the action's transaction. */
export async function appendCustomerAdminEvent(
  trx: Trx,
  who: { actor: Actor | null; ip: string | null; userAgent: string | null },
  site: SiteRow,
  event: { action: string; targetId: string; details?: Record<string, unknown> },
): Promise<void> {
  await appendAuditEvent(trx, {
    action: event.action,
    orgId: site.orgId,
    siteId: site.id,
    actorId: who.actor!.accountId,
    targetId: event.targetId,
    ip: who.ip,
    userAgent: who.userAgent,
    ...(event.details ? { details: event.details } : {}),
  });
}

/**
 * Locks the customer row (SELECT … FOR UPDATE) so concurrent revokes, grants and deletes of one
 * account serialize and each decides from the state the previous one committed. A customer of
 * another site, a staff account, or a deleted account is "not found" to the admin of this site.
 */
export async function lockCustomerInSite(trx: Trx, siteId: string, accountId: string): Promise<CustomerRecord> {
  const row = await trx
    .selectFrom('accounts')
    .select(COLUMNS)
    .where('account_id', '=', accountId)
    .where('kind', '=', 'customer')
    .where('site_id', '=', siteId)
    .forUpdate()
    .executeTakeFirst();
  if (!row || row.status === 'deleted') throw notFound('Customer not found.');
  return toRecord(row);
}

/** The site's non-deleted customers among `accountIds`: what the bulk dry run reads and the bulk run locks. */
function customersInSite(db: Executor, siteId: string, accountIds: string[]) {
  return db
    .selectFrom('accounts')
    .select(COLUMNS)
    .where('account_id', 'in', accountIds)
    .where('kind', '=', 'customer')
    .where('site_id', '=', siteId)
    .where('status', '<>', 'deleted');
}

/** Locks many customers of a site, always in account_id order so two bulk runs cannot deadlock. */
export async function lockCustomersInSite(trx: Trx, siteId: string, accountIds: string[]): Promise<CustomerRecord[]> {
  if (accountIds.length === 0) return [];
  const rows = await customersInSite(trx, siteId, accountIds).orderBy('account_id').forUpdate().execute();
  return rows.map(toRecord);
}

export async function findCustomersInSite(db: Executor, siteId: string, accountIds: string[]): Promise<CustomerRecord[]> {
  if (accountIds.length === 0) return [];
  const rows = await customersInSite(db, siteId, accountIds).execute();
  return rows.map(toRecord);
}

/**
 * Everything a revoke changes besides the audit event (docs/product.md#revoke-and-grant), for one or many accounts:
 * status and who/when; every session deleted (the next request with an old cookie finds nothing);
 * every outstanding one-time token invalidated; picker terms removed.
 */
export async function applyRevoke(trx: Trx, accountIds: string[], actorId: string, now: Date): Promise<void> {
  if (accountIds.length === 0) return;
  await trx
    .updateTable('accounts')
    .set({ status: 'revoked', revoked_at: now, revoked_by: actorId })
    .where('account_id', 'in', accountIds)
    .execute();
  await endSessionsAndTokens(trx, accountIds, now);
  await trx.deleteFrom('account_search_terms').where('account_id', 'in', accountIds).execute();
}

/**
 * Everything a grant changes besides the audit event: active again with the old password, picker
 * terms written back. Sessions and one-time tokens are ended again: none should exist, but a login or
 * reset request that raced the revoke must not come back to life with the grant.
 */
export async function applyGrant(trx: Trx, customers: CustomerRecord[], now: Date): Promise<void> {
  if (customers.length === 0) return;
  const ids = customers.map((c) => c.accountId);
  await trx
    .updateTable('accounts')
    .set({ status: 'active', revoked_at: null, revoked_by: null })
    .where('account_id', 'in', ids)
    .execute();
  await endSessionsAndTokens(trx, ids, now);
  await trx.deleteFrom('account_search_terms').where('account_id', 'in', ids).execute();
  const rows = customers.flatMap((c) => {
    if (!c.displayName || !c.email) return [];
    const sortName = sortNameFor(c.displayName);
    return searchTermsFor(c.displayName, c.email).map((term) => ({ site_id: c.siteId, term, account_id: c.accountId, sort_name: sortName }));
  });
  // Batches keep each INSERT well under the bind-parameter limit (4 per row).
  for (let i = 0; i < rows.length; i += 2000) {
    await trx.insertInto('account_search_terms').values(rows.slice(i, i + 2000)).execute();
  }
}

export async function endSessionsAndTokens(trx: Trx, accountIds: string[], now: Date, purposes?: Array<'password_reset' | 'invitation' | 'verification'>): Promise<void> {
  await trx.deleteFrom('sessions').where('account_id', 'in', accountIds).execute();
  let q = trx
    .updateTable('one_time_tokens')
    .set({ invalidated_at: now })
    .where('account_id', 'in', accountIds)
    .where('used_at', 'is', null)
    .where('invalidated_at', 'is', null);
  if (purposes) q = q.where('purpose', 'in', purposes);
  await q.execute();
}

export { deleteSearchTerms };

// ---------------------------------------------------------------------------------------------
// The admin console's customer list: search, status filter, paging, export.

export type CustomerStatusFilter = 'all' | 'active' | 'revoked';

export interface CustomerListFilter {
  siteId: string;
  query: string;
  status: CustomerStatusFilter;
}

function likePrefix(word: string): string {
  return word.replace(/[\\%_]/g, (c) => '\\' + c) + '%';
}

function queryWords(query: string): string[] {
  const words = normalizeForSearch(query).split(/\s+/).filter(Boolean).slice(0, 5);
  return [...new Set(words)].sort((a, b) => b.length - a.length);
}

/**
 * The ids of the customers a list/export shows, as a subquery. Without a query: the site's
 * non-deleted customers (accounts_site_list_idx / accounts_site_status_list_idx). With one, the same
 * word-prefix rule as the pickers (each query word prefixes a word of the name or the email):
 * active customers through the account_search_terms B-tree, revoked ones (who have no picker terms,
 * by design) through the revoked slice of accounts_site_status_list_idx with name-word and
 * email prefix tests.
 */
function matchingCustomers(db: Executor, f: CustomerListFilter) {
  const words = queryWords(f.query);
  const statuses: AccountStatus[] = f.status === 'all' ? ['active', 'revoked'] : [f.status];
  let base = db
    .selectFrom('accounts as a')
    .where('a.site_id', '=', f.siteId)
    .where('a.kind', '=', 'customer')
    .where('a.status', 'in', statuses);
  if (words.length === 0) return base;

  const [first, ...rest] = words;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  const branches: any[] = [];
  function idsOfActive() {
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
  }
  if (statuses.includes('active')) branches.push(idsOfActive());
  if (statuses.includes('revoked')) {
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
    branches.push(r);
  }
  const ids = branches.length === 2 ? branches[0].union(branches[1]) : branches[0];
  base = base.where('a.account_id', 'in', ids as ReturnType<typeof idsOfActive>);
  return base;
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
  page: { offset?: number; limit: number; after?: { sortName: string; accountId: string } },
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
    'a.sort_name',
  ]);
  if (page.after) {
    const { sortName, accountId } = page.after;
    q = q.where((eb) => eb.or([eb('a.sort_name', '>', sortName), eb.and([eb('a.sort_name', '=', sortName), eb('a.account_id', '>', accountId)])]));
  }
  q = q.orderBy('a.sort_name').orderBy('a.account_id').limit(page.limit);
  if (page.offset) q = q.offset(page.offset);
  const rows = await q.execute();
  return rows.map((r) => ({ ...toRecord(r), sortName: r.sort_name ?? '' }) as CustomerRecord & { sortName: string });
}
