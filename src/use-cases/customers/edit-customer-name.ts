import type { UseCaseContext } from '../context.js';
import { appendCustomerAdminEvent, authorizeCustomerAction, lockCustomerInSite, type CustomerRecord } from '../../db/queries/customer-admin.js';
import { writeSearchTerms } from '../../db/queries/customers.js';
import { validDisplayName } from '../../domain/display-name.js';
import { sortNameFor } from '../../domain/search-terms.js';

/**
 * An admin edits a customer's full name: the display name, its sort key and — for an active
 * customer — the picker terms (a revoked customer has none and gets them back from the grant).
 * Setting the same name again changes nothing and writes no event. Audit `customer.name.changed`;
 * the names themselves are not copied into the audit log, so a later delete erases them for good.
 */
export async function editCustomerName(
  ctx: UseCaseContext,
  input: { siteSlug: string; accountId: string; displayName: string },
): Promise<{ customer: CustomerRecord; changed: boolean }> {
  const site = await authorizeCustomerAction(ctx.db, ctx.actor, input, 'edit_name');
  const displayName = validDisplayName(input.displayName);
  return ctx.db.transaction().execute(async (trx) => {
    const customer = await lockCustomerInSite(trx, site.id, input.accountId);
    if (customer.displayName === displayName) return { customer, changed: false };
    await trx
      .updateTable('accounts')
      .set({ display_name: displayName, sort_name: sortNameFor(displayName) })
      .where('account_id', '=', customer.accountId)
      .execute();
    if (customer.status === 'active') {
      await writeSearchTerms(trx, { accountId: customer.accountId, siteId: site.id, displayName, email: customer.email! });
    }
    await appendCustomerAdminEvent(trx, ctx, site, { action: 'customer.name.changed', targetId: customer.accountId });
    return { customer: { ...customer, displayName }, changed: true };
  });
}
