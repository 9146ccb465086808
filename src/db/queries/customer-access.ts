import type { Transaction } from 'kysely';
import type { Database } from '../schema.js';
import { insertSearchTerms } from './customers.js';
import type { CustomerRecord } from './customer-records.js';

type Trx = Transaction<Database>;

/** Clears a customer's dated access (a revoke, a grant, or an admin clearing it). */
export const NO_ACCESS_UNTIL = { access_until: null, access_until_by: null, access_until_reason: null, access_until_notice: null } as const;

/** The writes of revoking and granting a customer's access, and of ending what a password change ends. */
/**
 * Everything a revoke changes besides the audit event (docs/product.md#revoke-and-grant), for one or many accounts:
 * status and who/when; every session deleted (the next request with an old cookie finds nothing);
 * every outstanding one-time token invalidated; picker terms removed.
 */
export async function applyRevoke(trx: Trx, accountIds: string[], actorId: string | null, now: Date, reason: string | null = null): Promise<void> {
  if (accountIds.length === 0) return;
  // ONE statement: the four writes are data-modifying parts of one query (each runs once, to the
  // end, on the same snapshot; none reads what another writes), one round trip where they were four
  // (docs/benchmarks.md, "Scale over HTTP": a revoke's time is its round trips).
  await withEndedSessionsAndTokens(trx, accountIds, now)
    .with('revoked', (db) =>
      db
        .updateTable('accounts')
        // a revoke ends any dated access: there is nothing left to expire (docs/product.md#access-until)
        .set({ status: 'revoked', revoked_at: now, revoked_by: actorId, revoke_reason: reason, ...NO_ACCESS_UNTIL })
        .where('account_id', 'in', accountIds)
        .returning('account_id'),
    )
    .deleteFrom('account_search_terms')
    .where('account_id', 'in', accountIds)
    .execute();
}

/**
 * Everything a grant changes besides the audit event: active again with the old password, picker
 * terms written back. Sessions and one-time tokens are ended again: none should exist, but a login or
 * reset request that raced the revoke must not come back to life with the grant.
 */
export async function applyGrant(trx: Trx, customers: CustomerRecord[], now: Date): Promise<void> {
  if (customers.length === 0) return;
  const ids = customers.map((c) => c.accountId);
  // one statement for the writes (as in applyRevoke), then the terms written back: an insert in the
  // same statement as the delete of the same table could meet the rows it replaces
  await withEndedSessionsAndTokens(trx, ids, now)
    .with('granted', (db) =>
      db
        .updateTable('accounts')
        // a grant clears a date the access had (docs/product.md#access-until), and the inactivity
        // policy counts from it (docs/product.md#inactivity-policy)
        .set({ status: 'active', revoked_at: null, revoked_by: null, revoke_reason: null, ...NO_ACCESS_UNTIL, access_granted_at: now, inactivity_warned_at: null })
        .where('account_id', 'in', ids)
        .returning('account_id'),
    )
    .deleteFrom('account_search_terms')
    .where('account_id', 'in', ids)
    .execute();
  await insertSearchTerms(
    trx,
    // a never-verified account stays out of the pickers until its owner verifies the address
    customers.flatMap((c) => (c.displayName && c.email && !c.awaitingVerification ? [{ accountId: c.accountId, siteId: c.siteId, displayName: c.displayName, email: c.email }] : [])),
  );
}

export async function endSessionsAndTokens(trx: Trx, accountIds: string[], now: Date, purposes?: Array<'password_reset' | 'invitation' | 'verification'>): Promise<void> {
  await trx.deleteFrom('sessions').where('account_id', 'in', accountIds).execute();
  await invalidateTokens(trx, accountIds, now, purposes).execute();
}

/** Outstanding one-time tokens of the accounts (of the given purposes, else all) marked invalid. */
function invalidateTokens(trx: Trx, accountIds: string[], now: Date, purposes?: Array<'password_reset' | 'invitation' | 'verification'>) {
  let q = trx
    .updateTable('one_time_tokens')
    .set({ invalidated_at: now })
    .where('account_id', 'in', accountIds)
    .where('used_at', 'is', null)
    .where('invalidated_at', 'is', null);
  if (purposes) q = q.where('purpose', 'in', purposes);
  return q;
}

/** A statement that begins by ending the accounts' sessions and one-time tokens (endSessionsAndTokens) in two of its parts. */
function withEndedSessionsAndTokens(trx: Trx, accountIds: string[], now: Date) {
  return trx
    .with('ended_sessions', (db) => db.deleteFrom('sessions').where('account_id', 'in', accountIds).returning('account_id'))
    .with('ended_tokens', () => invalidateTokens(trx, accountIds, now).returning('account_id'));
}
