import type { ActorContext, AppContext } from '../context.js';
import type { SiteRow } from '../../db/queries/sites.js';
import { authorizeCustomerAction } from '../customers/customer-admin.js';
import { authorOf, type ChangeAuthor } from '../audit.js';
import { checkNote, type AccessChangeNote, type CheckedNote } from './access-notice.js';
import { changeAuthorizedCustomerAccess, type CustomerAccessChange } from './change-customer-access.js';

/**
 * Grant a revoked customer's access back (docs/product.md#grant): status 'active' (the old password
 * works again), revokedAt/By cleared, picker terms written back, audit event
 * `customer.access.granted`, the organization's webhooks told (change-customer-access.ts). Every
 * reference (reporter, participants, picker values, comments, project customer lists) was never
 * touched, so it is exactly as before. Sessions from before the revoke stay dead: they were deleted
 * by the revoke (and any a racing login created are deleted here). Granting an active account
 * succeeds and changes nothing. A grant clears a dated access. An optional note: a reason in the
 * audit event, and a welcome-back notice mailed (docs/product.md#reason-and-notice).
 */
export async function grantCustomerAccess(
  ctx: ActorContext,
  input: { siteSlug: string; accountId: string; note?: AccessChangeNote },
): Promise<CustomerAccessChange> {
  const site = await authorizeCustomerAction(ctx, input, 'grant');
  return grantAuthorizedCustomerAccess(ctx, site, input.accountId, authorOf(ctx), checkNote(input.note ?? {}));
}

/** The grant once the author's right on `site` is settled (an admin's, or the site's SCIM token's). */
export function grantAuthorizedCustomerAccess(ctx: AppContext, site: SiteRow, accountId: string, author: ChangeAuthor, note?: CheckedNote): Promise<CustomerAccessChange> {
  return changeAuthorizedCustomerAccess(ctx, site, accountId, author, 'grant', note);
}
