import type { Transaction } from 'kysely';
import type { Database } from '../schema.js';
import { unauthenticated } from '../../domain/errors.js';

/**
 * Inside a write's transaction: the acting account must still be active. The shared row lock makes
 * a concurrent revoke (which locks the row FOR UPDATE) wait for this write to finish, or this write
 * wait for the revoke and then refuse — so no write of a customer commits after their revoke did.
 */
export async function assertActorStillActive(trx: Transaction<Database>, accountId: string): Promise<void> {
  const row = await trx.selectFrom('accounts').select('status').where('account_id', '=', accountId).forShare().executeTakeFirst();
  if (!row || row.status !== 'active') throw unauthenticated();
}
