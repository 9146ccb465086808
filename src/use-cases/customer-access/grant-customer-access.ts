import type { ActorContext, AppContext } from '../context.js';
import { applyGrant } from '../../db/queries/customer-access.js';
import type { CustomerRecord } from '../../db/queries/customer-records.js';
import type { SiteRow } from '../../db/queries/sites.js';
import { appendCustomerAdminEvent, authorizeCustomerAction, lockCustomerForAdmin } from '../customers/customer-admin.js';
import { authorAccountId, authorOf, type ChangeAuthor } from '../audit.js';
import { planTransition } from '../../domain/account-state.js';
import { notFound } from '../../domain/errors.js';
import { checkNote, mailAccessNotices, noteDetails, type AccessChangeNote, type CheckedNote } from './access-notice.js';
import { publishCustomerEvent, publisherOf } from '../webhooks/publish-customer-event.js';
import type { CustomerAccessChange } from './revoke-customer-access.js';

/**
 * Grant a revoked customer's access back (docs/product.md#grant): in ONE transaction with the row locked:
 * status 'active' (the old password works again), revokedAt/By cleared, picker terms written back,
 * audit event `customer.access.granted`, the organization's webhooks told. Every reference
 * (reporter, participants, picker values, comments, project customer lists) was never touched, so it
 * is exactly as before. Sessions from before the revoke stay dead: they were deleted by the revoke
 * (and any a racing login created are deleted here). Granting an active account succeeds and changes
 * nothing. A grant clears a dated access. An optional note: a reason in the audit event, and a
 * welcome-back notice mailed (docs/product.md#reason-and-notice).
 */
export async function grantCustomerAccess(
  ctx: ActorContext,
  input: { siteSlug: string; accountId: string; note?: AccessChangeNote },
): Promise<CustomerAccessChange> {
  const site = await authorizeCustomerAction(ctx, input, 'grant');
  return grantAuthorizedCustomerAccess(ctx, site, input.accountId, authorOf(ctx), checkNote(input.note ?? {}));
}

/** The grant itself, once the author's right to grant on `site` is settled (an admin's, or the site's SCIM token's). */
export async function grantAuthorizedCustomerAccess(
  ctx: AppContext,
  site: SiteRow,
  accountId: string,
  author: ChangeAuthor,
  note: CheckedNote = checkNote({}),
): Promise<CustomerAccessChange> {
  const actorId = authorAccountId(author);
  const result = await ctx.db.transaction().execute(async (trx): Promise<CustomerAccessChange> => {
    const customer = await lockCustomerForAdmin(trx, site, accountId);
    const plan = planTransition(customer.status, 'grant');
    if (plan.kind === 'forbidden') throw notFound('Customer not found.');
    if (plan.kind === 'noop') return { customer, changed: false };
    await applyGrant(trx, [customer], new Date());
    await appendCustomerAdminEvent(trx, ctx, author, site, { action: 'customer.access.granted', targetId: customer.accountId, details: noteDetails(note) });
    await publishCustomerEvent(trx, publisherOf(ctx, actorId), site, 'customer.access.granted', [{ accountId: customer.accountId, status: 'active' }]);
    const granted: CustomerRecord = { ...customer, status: 'active', revokedAt: null, revokedBy: null, revokeReason: null, accessUntil: null };
    await mailAccessNotices(trx, ctx, site, 'granted', [granted], note);
    return { customer: granted, changed: true };
  });
  ctx.counters?.customerAccessChanged('grant', result.changed ? 1 : 0);
  return result;
}
