import type { ActorContext, AppContext } from '../context.js';
import { applyRevoke } from '../../db/queries/customer-access.js';
import type { CustomerRecord } from '../../db/queries/customer-records.js';
import type { SiteRow } from '../../db/queries/sites.js';
import { appendCustomerAdminEvent, authorizeCustomerAction, lockCustomerForAdmin } from '../customers/customer-admin.js';
import { authorAccountId, authorOf, type ChangeAuthor } from '../audit.js';
import { planTransition } from '../../domain/account-state.js';
import { notFound } from '../../domain/errors.js';
import { checkNote, mailAccessNotices, noteDetails, type AccessChangeNote, type CheckedNote } from './access-notice.js';
import { publishCustomerEvent, publisherOf } from '../webhooks/publish-customer-event.js';

export interface CustomerAccessChange {
  customer: CustomerRecord;
  /** false when the account was already revoked: nothing changed and no audit event was written */
  changed: boolean;
}

/**
 * Revoke a portal-only customer's access (docs/product.md#revoke-and-grant): in ONE transaction, with the customer row
 * locked so a concurrent grant waits its turn: status 'revoked' with when and by whom, every session
 * deleted, every outstanding one-time token invalidated, picker terms removed, audit event
 * `customer.access.revoked`, the organization's webhooks told. Revoking a revoked account succeeds
 * and changes nothing. An optional note (docs/product.md#reason-and-notice): the reason, kept on the
 * account and in the audit event, and a notice mailed to the customer in the same transaction.
 */
export async function revokeCustomerAccess(
  ctx: ActorContext,
  input: { siteSlug: string; accountId: string; note?: AccessChangeNote },
): Promise<CustomerAccessChange> {
  const site = await authorizeCustomerAction(ctx, input, 'revoke');
  return revokeAuthorizedCustomerAccess(ctx, site, input.accountId, authorOf(ctx), checkNote(input.note ?? {}));
}

/**
 * The revoke itself, once the author's right to revoke on `site` is settled: an admin's (above) or
 * the site's SCIM token's (use-cases/scim). A customer of another site is not found.
 */
export async function revokeAuthorizedCustomerAccess(
  ctx: AppContext,
  site: SiteRow,
  accountId: string,
  author: ChangeAuthor,
  note: CheckedNote = checkNote({}),
): Promise<CustomerAccessChange> {
  const actorId = authorAccountId(author);
  const result = await ctx.db.transaction().execute(async (trx): Promise<CustomerAccessChange> => {
    const customer = await lockCustomerForAdmin(trx, site, accountId);
    const plan = planTransition(customer.status, 'revoke');
    if (plan.kind === 'forbidden') throw notFound('Customer not found.');
    if (plan.kind === 'noop') return { customer, changed: false };
    const now = new Date();
    await applyRevoke(trx, [customer.accountId], actorId, now, note.reason);
    await appendCustomerAdminEvent(trx, ctx, author, site, { action: 'customer.access.revoked', targetId: customer.accountId, details: noteDetails(note) });
    await publishCustomerEvent(trx, publisherOf(ctx, actorId), site, 'customer.access.revoked', [{ accountId: customer.accountId, status: 'revoked' }]);
    await mailAccessNotices(trx, ctx, site, 'revoked', [customer], note);
    return { customer: { ...customer, status: 'revoked', revokedAt: now, revokedBy: actorId, revokeReason: note.reason, accessUntil: null }, changed: true };
  });
  ctx.counters?.customerAccessChanged('revoke', result.changed ? 1 : 0);
  return result;
}
