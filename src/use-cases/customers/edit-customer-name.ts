import type { ActorContext, AppContext } from '../context.js';
import type { CustomerRecord } from '../../db/queries/customer-records.js';
import type { SiteRow } from '../../db/queries/sites.js';
import { appendCustomerAdminEvent, authorizeCustomerAction, lockCustomerForAdmin } from './customer-admin.js';
import { authorAccountId, authorOf, type ChangeAuthor } from '../audit.js';
import { writeSearchTerms } from '../../db/queries/customers.js';
import { validDisplayName } from '../../domain/display-name.js';
import { sortNameFor } from '../../domain/search-terms.js';
import { publishCustomerEvent, publisherOf } from '../webhooks/publish-customer-event.js';

/**
 * An admin edits a customer's full name: the display name, its sort key and — for an active
 * customer — the picker terms (a revoked customer has none and gets them back from the grant).
 * Setting the same name again changes nothing and writes no event. Audit `customer.name.changed`;
 * the names themselves are not copied into the audit log, so a later delete erases them for good.
 */
export async function editCustomerName(
  ctx: ActorContext,
  input: { siteSlug: string; accountId: string; displayName: string },
): Promise<{ customer: CustomerRecord; changed: boolean }> {
  const site = await authorizeCustomerAction(ctx, input, 'edit_name');
  return editAuthorizedCustomerName(ctx, site, input.accountId, input.displayName, authorOf(ctx));
}

/** The name change itself, once the author's right on `site` is settled (an admin's, or the site's SCIM token's). */
export async function editAuthorizedCustomerName(
  ctx: AppContext,
  site: SiteRow,
  accountId: string,
  newName: string,
  author: ChangeAuthor,
): Promise<{ customer: CustomerRecord; changed: boolean }> {
  const displayName = validDisplayName(newName);
  return ctx.db.transaction().execute(async (trx) => {
    const customer = await lockCustomerForAdmin(trx, site, accountId);
    if (customer.displayName === displayName) return { customer, changed: false };
    await trx
      .updateTable('accounts')
      .set({ display_name: displayName, sort_name: sortNameFor(displayName) })
      .where('account_id', '=', customer.accountId)
      .execute();
    if (customer.status === 'active' && !customer.awaitingVerification) {
      await writeSearchTerms(trx, { accountId: customer.accountId, siteId: site.id, displayName, email: customer.email! });
    }
    await appendCustomerAdminEvent(trx, ctx, author, site, { action: 'customer.name.changed', targetId: customer.accountId });
    const actorId = authorAccountId(author);
    await publishCustomerEvent(trx, publisherOf(ctx, actorId), site, 'customer.updated', [{ accountId: customer.accountId, status: customer.status === 'revoked' ? 'revoked' : 'active' }], { changed: ['displayName'] });
    return { customer: { ...customer, displayName }, changed: true };
  });
}
