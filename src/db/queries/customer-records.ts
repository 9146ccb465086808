import type { Transaction } from 'kysely';
import type { Database, AccountStatus } from '../schema.js';
import type { Db } from '../connection.js';
import type { CustomerRecord } from '../../domain/customers.js';

type Trx = Transaction<Database>;
type Executor = Trx | Db;


const CUSTOMER_ID = /^qm:[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** A portal-only account id is `qm:` + a UUID (docs/product.md#customer-accounts); anything else names no customer. */
export function isCustomerAccountId(id: string): boolean {
  return CUSTOMER_ID.test(id);
}

export const CUSTOMER_COLUMNS = [
  'account_id',
  'site_id',
  'display_name',
  'email',
  'status',
  'created_at',
  'last_active_at',
  'revoked_at',
  'revoked_by',
  'revoke_reason',
  'access_until',
  'awaiting_verification',
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
  revoke_reason: string | null;
  access_until: Date | null;
  awaiting_verification: boolean;
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
    revokeReason: r.revoke_reason,
    accessUntil: r.access_until ? new Date(r.access_until) : null,
    awaitingVerification: r.awaiting_verification,
  };
}

/**
 * Locks the customer row (SELECT … FOR UPDATE) so concurrent revokes, grants and deletes of one
 * account serialize and each decides from the state the previous one committed. Only a customer of
 * this site is found (deleted ones too: the policy says what they are to an admin).
 */
export async function lockCustomerInSite(trx: Trx, siteId: string, accountId: string): Promise<CustomerRecord | undefined> {
  const row = await trx
    .selectFrom('accounts')
    .select(CUSTOMER_COLUMNS)
    .where('account_id', '=', accountId)
    .where('kind', '=', 'customer')
    .where('site_id', '=', siteId)
    .forUpdate()
    .executeTakeFirst();
  return row && toRecord(row);
}

/** The site's customers among `accountIds` (deleted ones too): what the bulk dry run reads and the bulk run locks. */
function customersInSite(db: Executor, siteId: string, accountIds: string[]) {
  return db
    .selectFrom('accounts')
    .select(CUSTOMER_COLUMNS)
    .where('account_id', 'in', accountIds)
    .where('kind', '=', 'customer')
    .where('site_id', '=', siteId);
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

export type { CustomerRecord };
