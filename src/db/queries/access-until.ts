import type { Transaction } from 'kysely';
import type { Database } from '../schema.js';
import type { Db } from '../connection.js';
import { toRecord, type CustomerRecord } from './customer-records.js';

type Trx = Transaction<Database>;

export interface AccessUntilSetting {
  until: Date;
  by: string;
  reason: string | null;
  notice: 'notice' | 'notice_with_reason' | null;
}

/** Dates the access of these (active) customers; `null` clears it. */
export async function writeAccessUntil(trx: Trx, accountIds: string[], setting: AccessUntilSetting | null): Promise<void> {
  if (accountIds.length === 0) return;
  await trx
    .updateTable('accounts')
    .set(
      setting
        ? { access_until: setting.until, access_until_by: setting.by, access_until_reason: setting.reason, access_until_notice: setting.notice }
        : { access_until: null, access_until_by: null, access_until_reason: null, access_until_notice: null },
    )
    .where('account_id', 'in', accountIds)
    .execute();
}

/** Active customers whose access ended by `now`, oldest date first (accounts_access_until_idx). */
export async function findExpiredAccess(db: Db, now: Date, limit: number): Promise<string[]> {
  const rows = await db
    .selectFrom('accounts')
    .select('account_id')
    .where('access_until', 'is not', null)
    .where('access_until', '<=', now)
    .where('status', '=', 'active')
    .orderBy('access_until')
    .limit(limit)
    .execute();
  return rows.map((r) => r.account_id);
}

export interface ExpiredCustomer {
  customer: CustomerRecord;
  until: Date;
  by: string | null;
  reason: string | null;
  notice: 'notice' | 'notice_with_reason' | null;
}

/**
 * The customer, locked, if their access is still dated to end by `now` and still active. SKIP LOCKED:
 * another instance revoking them right now has them; it decides, this one passes.
 */
export async function lockExpiredCustomer(trx: Trx, accountId: string, now: Date): Promise<ExpiredCustomer | undefined> {
  const row = await trx
    .selectFrom('accounts')
    .select([
      'account_id', 'site_id', 'display_name', 'email', 'status', 'created_at', 'last_active_at', 'revoked_at', 'revoked_by', 'revoke_reason',
      'access_until', 'awaiting_verification', 'access_until_by', 'access_until_reason', 'access_until_notice',
    ])
    .where('account_id', '=', accountId)
    .where('kind', '=', 'customer')
    .where('status', '=', 'active')
    .where('access_until', '<=', now)
    .forUpdate()
    .skipLocked()
    .executeTakeFirst();
  if (!row) return undefined;
  return { customer: toRecord(row), until: new Date(row.access_until!), by: row.access_until_by, reason: row.access_until_reason, notice: row.access_until_notice };
}
