import type { Transaction } from 'kysely';
import type { Database } from '../../db/schema.js';
import { createSession, type NewSession } from '../../db/queries/session-store.js';
import type { AppContext } from '../context.js';

/**
 * The one way a sign-in ends, whatever proved who it is (a password, the site's identity
 * provider): a new opaque server-side session of the account (its id changes on every sign-in, S3),
 * and the account marked active now. In the caller's transaction.
 */
export async function openSessionInTransaction(ctx: AppContext, trx: Transaction<Database>, input: { accountId: string; siteId: string | null }): Promise<NewSession> {
  const created = await createSession(trx, {
    accountId: input.accountId,
    siteId: input.siteId,
    ip: ctx.ip,
    userAgent: ctx.userAgent,
    idleMinutes: ctx.config.sessionIdleMinutes,
    absoluteHours: ctx.config.sessionAbsoluteHours,
  });
  await trx.updateTable('accounts').set({ last_active_at: new Date() }).where('account_id', '=', input.accountId).execute();
  return created;
}
