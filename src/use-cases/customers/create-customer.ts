import { loadAccounts, type AccountView } from '../../db/queries/accounts.js';
import type { ActorContext } from '../context.js';
import { answeringDuplicateEmail, createCustomerInTransaction, type CreateCustomerInput } from './new-customer.js';

/**
 * Creates a portal-only customer account of the site (no password yet: the customer sets one
 * through a password reset). Admins of the site and agents of any of its projects may do it
 * (docs/product.md#tenancy). The email must be new on the site, whatever the existing account's status.
 */
export async function createCustomer(ctx: ActorContext, input: CreateCustomerInput): Promise<AccountView> {
  const accountId = await answeringDuplicateEmail(input, () =>
    ctx.db.transaction().execute((trx) => createCustomerInTransaction(ctx, trx, input)),
  );
  const created = (await loadAccounts(ctx.db, [accountId])).get(accountId);
  if (!created) throw new Error('created customer vanished');
  return created;
}
