import { sql, type Transaction } from 'kysely';
import type { Database } from '../schema.js';
import type { Db } from '../connection.js';
import { CUSTOMER_COLUMNS, toRecord, type CustomerRecord } from './customer-records.js';
import { DEFAULT_INACTIVITY_POLICY, type InactivityPolicySettings } from '../../domain/inactivity-policy.js';

// A site's inactivity policy and the customers it concerns (docs/product.md#inactivity-policy).

type Trx = Transaction<Database>;
type Executor = Trx | Db;

export interface StoredInactivityPolicy extends InactivityPolicySettings {
  updatedAt: Date | null;
}

/** The site's policy; the default (off) when it never saved one. */
export async function findInactivityPolicy(db: Executor, siteId: string): Promise<StoredInactivityPolicy> {
  const row = await db.selectFrom('inactivity_policies').selectAll().where('site_id', '=', siteId).executeTakeFirst();
  if (!row) return { ...DEFAULT_INACTIVITY_POLICY, updatedAt: null };
  return { enabled: row.enabled, inactiveDays: row.inactive_days, warnDays: row.warn_days, notifyOnRevoke: row.notify_on_revoke, updatedAt: new Date(row.updated_at) };
}

export async function saveInactivityPolicy(trx: Trx, siteId: string, p: InactivityPolicySettings, by: string, at: Date): Promise<void> {
  const values = { enabled: p.enabled, inactive_days: p.inactiveDays, warn_days: p.warnDays, notify_on_revoke: p.notifyOnRevoke, updated_by: by, updated_at: at };
  await trx.insertInto('inactivity_policies').values({ site_id: siteId, ...values }).onConflict((oc) => oc.column('site_id').doUpdateSet(values)).execute();
}

export interface ExcludedCustomer {
  accountId: string;
  displayName: string | null;
  email: string | null;
  status: 'active' | 'revoked' | 'deleted';
}

/** The customers the site's policy leaves alone, by name. */
export async function findExclusions(db: Executor, siteId: string): Promise<ExcludedCustomer[]> {
  return db
    .selectFrom('inactivity_policy_exclusions as x')
    .innerJoin('accounts as a', 'a.account_id', 'x.account_id')
    .select(['a.account_id as accountId', 'a.display_name as displayName', 'a.email', 'a.status'])
    .where('x.site_id', '=', siteId)
    .orderBy('a.sort_name')
    .orderBy('a.account_id')
    .execute();
}

/** Of these ids, the site's customers that are not deleted (an exclusion must name one). */
export async function customersOfSite(db: Executor, siteId: string, accountIds: string[]): Promise<Set<string>> {
  if (accountIds.length === 0) return new Set();
  const rows = await db
    .selectFrom('accounts')
    .select('account_id')
    .where('site_id', '=', siteId)
    .where('kind', '=', 'customer')
    .where('status', '!=', 'deleted')
    .where('account_id', 'in', accountIds)
    .execute();
  return new Set(rows.map((r) => r.account_id));
}

/** Replaces the site's exclusions; returns the ids added and removed. */
export async function replaceExclusions(trx: Trx, siteId: string, accountIds: string[], by: string): Promise<{ added: string[]; removed: string[] }> {
  const before = new Set((await trx.selectFrom('inactivity_policy_exclusions').select('account_id').where('site_id', '=', siteId).execute()).map((r) => r.account_id));
  const after = new Set(accountIds);
  const added = [...after].filter((id) => !before.has(id));
  const removed = [...before].filter((id) => !after.has(id));
  if (removed.length > 0) await trx.deleteFrom('inactivity_policy_exclusions').where('site_id', '=', siteId).where('account_id', 'in', removed).execute();
  if (added.length > 0) await trx.insertInto('inactivity_policy_exclusions').values(added.map((account_id) => ({ account_id, site_id: siteId, added_by: by }))).execute();
  return { added, removed };
}

/** The latest of last active, created and granted: where a customer's inactivity counts from. */
const since = sql<Date>`greatest(a.last_active_at, a.created_at, a.access_granted_at)`;

export interface InactiveCustomer {
  customer: CustomerRecord;
  since: Date;
  warnedAt: Date | null;
  policy: InactivityPolicySettings;
}

type Scope = { enabledSites: true } | { siteId: string; policy: Pick<InactivityPolicySettings, 'inactiveDays' | 'warnDays'> };

/**
 * Active customers, not excluded, inactive at `now` for at least N − M days — those the policy may
 * warn or revoke (domain/inactivity-policy.ts decides which) — longest inactive first: of every site
 * whose policy is on (the job), or of one site under the numbers given (the dry run).
 */
export async function findInactiveCustomers(db: Executor, scope: Scope, now: Date, limit: number): Promise<InactiveCustomer[]> {
  let q = db
    .selectFrom('accounts as a')
    .select(CUSTOMER_COLUMNS.map((c) => `a.${c}` as const))
    .select([since.as('since'), 'a.inactivity_warned_at'])
    .where('a.kind', '=', 'customer')
    .where('a.status', '=', 'active')
    .where(({ not, exists, selectFrom }) => not(exists(selectFrom('inactivity_policy_exclusions as x').select('x.account_id').whereRef('x.account_id', '=', 'a.account_id'))));
  if ('siteId' in scope) {
    const days = scope.policy.inactiveDays - scope.policy.warnDays;
    const rows = await q
      .where('a.site_id', '=', scope.siteId)
      .where(since, '<=', sql<Date>`${now}::timestamptz - make_interval(days => ${days}::int)`)
      .orderBy(since)
      .orderBy('a.account_id')
      .limit(limit)
      .execute();
    return rows.map((r) => ({ customer: toRecord(r), since: new Date(r.since), warnedAt: r.inactivity_warned_at ? new Date(r.inactivity_warned_at) : null, policy: { enabled: false, notifyOnRevoke: false, ...scope.policy } }));
  }
  const rows = await q
    .innerJoin('inactivity_policies as p', 'p.site_id', 'a.site_id')
    .select(['p.enabled', 'p.inactive_days', 'p.warn_days', 'p.notify_on_revoke'])
    .where('p.enabled', '=', true)
    .where(since, '<=', sql<Date>`${now}::timestamptz - make_interval(days => p.inactive_days - p.warn_days)`)
    .orderBy(since)
    .orderBy('a.account_id')
    .limit(limit)
    .execute();
  return rows.map((r) => ({
    customer: toRecord(r),
    since: new Date(r.since),
    warnedAt: r.inactivity_warned_at ? new Date(r.inactivity_warned_at) : null,
    policy: { enabled: r.enabled, inactiveDays: r.inactive_days, warnDays: r.warn_days, notifyOnRevoke: r.notify_on_revoke },
  }));
}

/**
 * The customer, locked, as the policy sees them now: still active, not excluded, their site's policy
 * still on. SKIP LOCKED: another instance acting on them right now has them; it decides, this one passes.
 */
export async function lockInactiveCustomer(trx: Trx, accountId: string): Promise<InactiveCustomer | undefined> {
  const row = await trx
    .selectFrom('accounts as a')
    .innerJoin('inactivity_policies as p', 'p.site_id', 'a.site_id')
    .select(CUSTOMER_COLUMNS.map((c) => `a.${c}` as const))
    .select([since.as('since'), 'a.inactivity_warned_at', 'p.enabled', 'p.inactive_days', 'p.warn_days', 'p.notify_on_revoke'])
    .where('a.account_id', '=', accountId)
    .where('a.kind', '=', 'customer')
    .where('a.status', '=', 'active')
    .where('p.enabled', '=', true)
    .where(({ not, exists, selectFrom }) => not(exists(selectFrom('inactivity_policy_exclusions as x').select('x.account_id').whereRef('x.account_id', '=', 'a.account_id'))))
    .forUpdate('a')
    .skipLocked()
    .executeTakeFirst();
  if (!row) return undefined;
  return {
    customer: toRecord(row),
    since: new Date(row.since),
    warnedAt: row.inactivity_warned_at ? new Date(row.inactivity_warned_at) : null,
    policy: { enabled: row.enabled, inactiveDays: row.inactive_days, warnDays: row.warn_days, notifyOnRevoke: row.notify_on_revoke },
  };
}

export async function markWarned(trx: Trx, accountId: string, at: Date): Promise<void> {
  await trx.updateTable('accounts').set({ inactivity_warned_at: at }).where('account_id', '=', accountId).execute();
}
