import { sql, type Transaction } from 'kysely';
import type { Database } from '../schema.js';

/**
 * Uses a one-time token (a reset, verification or invitation link): marks it used if it is still
 * live — not used, not invalidated, not expired — and answers its account; undefined when it was
 * not. Atomic: of two concurrent uses, one wins and the other finds nothing.
 */
export async function claimOneTimeToken(trx: Transaction<Database>, tokenId: string): Promise<string | undefined> {
  const claimed = await trx
    .updateTable('one_time_tokens')
    .set({ used_at: sql<Date>`now()` })
    .where('id', '=', tokenId)
    .where('used_at', 'is', null)
    .where('invalidated_at', 'is', null)
    .where('expires_at', '>', sql<Date>`now()`)
    .returning(['account_id'])
    .executeTakeFirst();
  return claimed?.account_id;
}
