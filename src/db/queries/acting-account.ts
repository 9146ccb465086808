import type { Transaction } from 'kysely';
import type { AccountStatus, Database } from '../schema.js';

/**
 * Inside a write's transaction: locks the acting account's row and reads its status (undefined when
 * the row is gone); the write goes on only while it is active. The row lock makes a
 * concurrent revoke (which locks the row FOR UPDATE) wait for this write to finish, or this write
 * wait for the revoke and then refuse — so no write of a customer commits after their revoke did.
 *
 * FOR NO KEY UPDATE rather than FOR SHARE: share locks are compatible with each other, so a new
 * write would take one at once even while a revoke waits, and a customer who always kept one write
 * under way could hold her own revoke off indefinitely. This lock conflicts with itself, so a write
 * that arrives while a revoke waits queues behind it (and then finds the account revoked). One
 * account's writes run one at a time; foreign keys to the account (KEY SHARE) are not blocked.
 */
export async function lockActingAccount(trx: Transaction<Database>, accountId: string): Promise<AccountStatus | undefined> {
  const row = await trx.selectFrom('accounts').select('status').where('account_id', '=', accountId).forNoKeyUpdate().executeTakeFirst();
  return row?.status;
}
