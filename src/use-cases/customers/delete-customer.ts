import type { Transaction } from 'kysely';
import type { Database } from '../../db/schema.js';
import type { SiteRow } from '../../db/queries/sites.js';
import type { ActorContext } from '../context.js';
import { appendCustomerAdminEvent, authorizeCustomerAction, lockCustomerForAdmin } from './customer-admin.js';
import { planTransition } from '../../domain/account-state.js';
import { notFound } from '../../domain/errors.js';

/**
 * Delete a portal-only customer (organization admins only; irreversible; docs/product.md#roles). The
 * account row stays, so every reference (reporter, participant, picker value, comment author, audit
 * target) keeps pointing at it and reads "Former user (Deactivated)"; its email, name and password
 * are erased, its sessions, one-time tokens, picker terms and known login addresses deleted. The
 * email is free for a new account afterwards. A deleted customer is gone from the admin console:
 * deleting again is a 404.
 */
export async function deleteCustomer(ctx: ActorContext, input: { siteSlug: string; accountId: string }): Promise<void> {
  const site = await authorizeCustomerAction(ctx, input, 'delete');
  await ctx.db.transaction().execute(async (trx) => {
    await deleteCustomerIn(trx, ctx, site, input.accountId, {});
  });
}

/**
 * The delete itself, inside the caller's transaction once the caller's right is established: the
 * admin console's delete above, and an approved erasure request (own-data/approve-erasure.ts), which
 * names itself in the audit event's `details`.
 */
export async function deleteCustomerIn(
  trx: Transaction<Database>,
  ctx: ActorContext,
  site: SiteRow,
  accountId: string,
  details: Record<string, unknown>,
): Promise<void> {
  const customer = await lockCustomerForAdmin(trx, site, accountId);
  if (planTransition(customer.status, 'delete').kind !== 'change') throw notFound('Customer not found.');
  const now = new Date();
  await trx
    .updateTable('accounts')
    .set({
      status: 'deleted',
      deleted_at: now,
      email: null,
      email_lower: null,
      display_name: null,
      sort_name: null,
      password_hash: null,
    })
    .where('account_id', '=', customer.accountId)
    .execute();
  await trx.deleteFrom('sessions').where('account_id', '=', customer.accountId).execute();
  await trx.deleteFrom('one_time_tokens').where('account_id', '=', customer.accountId).execute();
  await trx.deleteFrom('account_search_terms').where('account_id', '=', customer.accountId).execute();
  await trx.deleteFrom('login_known_addresses').where('account_id', '=', customer.accountId).execute();
  await appendCustomerAdminEvent(trx, ctx, site, {
    action: 'customer.deleted',
    targetId: customer.accountId,
    details: { previousStatus: customer.status, ...details },
  });
}
