import type { Transaction } from 'kysely';
import type { Database } from '../../db/schema.js';
import type { ActorContext, AppContext } from '../context.js';
import type { SiteRow } from '../../db/queries/sites.js';
import { appendCustomerAdminEvent, authorizeCustomerAction, lockCustomerForAdmin } from './customer-admin.js';
import { authorAccountId, authorOf, type ChangeAuthor } from '../audit.js';
import { planTransition } from '../../domain/account-state.js';
import { notFound } from '../../domain/errors.js';
import { publishCustomerEvent, publisherOf } from '../webhooks/publish-customer-event.js';

/**
 * Delete a portal-only customer (organization admins only; irreversible; docs/product.md#roles). The
 * account row stays, so every reference (reporter, participant, picker value, comment author, audit
 * target) keeps pointing at it and reads "Former user (Deactivated)"; its email, name and password
 * are erased, its sessions, one-time tokens, picker terms, known login addresses and SCIM names
 * deleted. The email is free for a new account afterwards. A deleted customer is gone from the admin
 * console: deleting again is a 404.
 */
export async function deleteCustomer(ctx: ActorContext, input: { siteSlug: string; accountId: string }): Promise<void> {
  const site = await authorizeCustomerAction(ctx, input, 'delete');
  await deleteAuthorizedCustomer(ctx, site, input.accountId, authorOf(ctx));
}

/**
 * The delete once the author's right on `site` is settled: an org admin's, or the site's SCIM
 * token's when an org admin set the site's SCIM DELETE to delete (use-cases/scim).
 */
export async function deleteAuthorizedCustomer(ctx: AppContext, site: SiteRow, accountId: string, author: ChangeAuthor): Promise<void> {
  await ctx.db.transaction().execute((trx) => deleteCustomerIn(trx, ctx, author, site, accountId, {}));
}

/**
 * The delete itself, inside the caller's transaction once the author's right is established: the
 * deletes above, and an approved erasure request (own-data/approve-erasure.ts), which names itself
 * in the audit event's `details`.
 */
export async function deleteCustomerIn(
  trx: Transaction<Database>,
  ctx: AppContext,
  author: ChangeAuthor,
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
  await trx.deleteFrom('scim_users').where('account_id', '=', customer.accountId).execute();
  await appendCustomerAdminEvent(trx, ctx, author, site, {
    action: 'customer.deleted',
    targetId: customer.accountId,
    details: { previousStatus: customer.status, ...details },
  });
  const actorId = authorAccountId(author);
  await publishCustomerEvent(trx, publisherOf(ctx, actorId), site, 'customer.deleted', [{ accountId: customer.accountId, status: 'deleted' }]);
}
