import type { ActorContext, AppContext } from '../context.js';
import type { SiteRow } from '../../db/queries/sites.js';
import { authorizeCustomerAction } from '../customers/customer-admin.js';
import { authorOf, type ChangeAuthor } from '../audit.js';
import { checkNote, type AccessChangeNote, type CheckedNote } from './access-notice.js';
import { changeAuthorizedCustomerAccess, type CustomerAccessChange } from './change-customer-access.js';

export type { CustomerAccessChange };

/**
 * Revoke a portal-only customer's access (docs/product.md#revoke-and-grant): status 'revoked' with
 * when and by whom, every session deleted, every outstanding one-time token invalidated, picker terms
 * removed, audit event `customer.access.revoked`, the organization's webhooks told
 * (change-customer-access.ts). Revoking a revoked account succeeds and changes nothing. An optional
 * note (docs/product.md#reason-and-notice): the reason, kept on the account and in the audit event,
 * and a notice mailed to the customer in the same transaction.
 */
export async function revokeCustomerAccess(
  ctx: ActorContext,
  input: { siteSlug: string; accountId: string; note?: AccessChangeNote },
): Promise<CustomerAccessChange> {
  const site = await authorizeCustomerAction(ctx, input, 'revoke');
  return revokeAuthorizedCustomerAccess(ctx, site, input.accountId, authorOf(ctx), checkNote(input.note ?? {}));
}

/** The revoke once the author's right on `site` is settled: an admin's (above) or the site's SCIM token's (use-cases/scim). */
export function revokeAuthorizedCustomerAccess(ctx: AppContext, site: SiteRow, accountId: string, author: ChangeAuthor, note?: CheckedNote): Promise<CustomerAccessChange> {
  return changeAuthorizedCustomerAccess(ctx, site, accountId, author, 'revoke', note);
}
