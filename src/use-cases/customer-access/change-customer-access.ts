import type { AppContext } from '../context.js';
import { applyGrant, applyRevoke, grantRevokedCustomer, revokeActiveCustomer } from '../../db/queries/customer-access.js';
import type { CustomerRecord } from '../../db/queries/customer-records.js';
import type { SiteRow } from '../../db/queries/sites.js';
import { customerAdminEvent, lockCustomerForAdmin } from '../customers/customer-admin.js';
import { authorAccountId, type ChangeAuthor } from '../audit.js';
import { planTransition } from '../../domain/account-state.js';
import { notFound } from '../../domain/errors.js';
import { checkNote, mailAccessNotices, noteDetails, type CheckedNote } from './access-notice.js';
import { publishCustomerEventTo, publisherOf } from '../webhooks/publish-customer-event.js';
import { subscribersAmong } from '../../db/queries/webhooks.js';

export interface CustomerAccessChange {
  customer: CustomerRecord;
  /** false when the account already had the access asked for: nothing changed and no audit event was written */
  changed: boolean;
}

/**
 * A revoke or a grant once the author's right on `site` is settled — an admin's
 * (revoke-customer-access.ts, grant-customer-access.ts) or the site's SCIM token's (use-cases/scim) —
 * in ONE transaction with the customer row locked, so a concurrent change waits its turn (or, when
 * nothing else must be written with it, in one statement: changeInOneStatement): the writes
 * of db/queries/customer-access.ts, the audit event `customer.access.revoked|granted` with the note's
 * reason, the organization's webhooks, and the notice if one was asked for
 * (docs/product.md#revoke-and-grant, #reason-and-notice). Asking for the access the customer already
 * has succeeds and changes nothing; a customer of another site is not found.
 */
export async function changeAuthorizedCustomerAccess(
  ctx: AppContext,
  site: SiteRow,
  accountId: string,
  author: ChangeAuthor,
  action: 'revoke' | 'grant',
  note: CheckedNote = checkNote({}),
): Promise<CustomerAccessChange> {
  const actorId = authorAccountId(author);
  const revoke = action === 'revoke';
  if (!note.notify) {
    // without a notice, the change is first tried as one statement outside a transaction
    // (changeInOneStatement); only if it changed nothing does the locked path decide
    const changed = await changeInOneStatement(ctx, site, accountId, author, action, note);
    if (changed) {
      ctx.counters?.customerAccessChanged(action, 1);
      return { customer: changed, changed: true };
    }
  }
  const result = await ctx.db.transaction().execute(async (trx): Promise<CustomerAccessChange> => {
    const customer = await lockCustomerForAdmin(trx, site, accountId);
    const plan = planTransition(customer.status, action);
    if (plan.kind === 'forbidden') throw notFound('Customer not found.');
    if (plan.kind === 'noop') return { customer, changed: false };
    const now = new Date();
    const after: CustomerRecord = revoke
      ? { ...customer, status: 'revoked', revokedAt: now, revokedBy: actorId, revokeReason: note.reason, accessUntil: null }
      : { ...customer, status: 'active', revokedAt: null, revokedBy: null, revokeReason: null, accessUntil: null };
    const event = revoke ? 'customer.access.revoked' : 'customer.access.granted';
    // the audit event and the read of the organization's webhook subscriptions go in the writes' own
    // statement: two round trips fewer (docs/architecture.md, "A revoke in few round trips")
    const along = { audit: customerAdminEvent(ctx, author, site, { action: event, targetId: customer.accountId, details: noteDetails(note) }), webhooksOf: site.orgId };
    const subscriptions = revoke ? await applyRevoke(trx, [customer.accountId], actorId, now, note.reason, along) : await applyGrant(trx, [customer], now, along);
    const subscribers = subscribersAmong(subscriptions, event);
    await publishCustomerEventTo(trx, publisherOf(ctx, actorId), site, event, [{ accountId: customer.accountId, status: after.status === 'revoked' ? 'revoked' : 'active' }], subscribers);
    // the revoke notice is addressed as the customer was; the welcome back as they are again
    await mailAccessNotices(trx, ctx, site, revoke ? 'revoked' : 'granted', [revoke ? customer : after], note);
    return { customer: after, changed: true };
  });
  ctx.counters?.customerAccessChanged(action, result.changed ? 1 : 0);
  return result;
}

/**
 * An active customer's revoke is written whole by one statement: two round trips in all with the
 * caller cache's barrier, where the locked path takes five. So is a revoked customer's grant, her
 * picker terms put back from what her revoke kept, while they are still hers as she is: two where the
 * locked path takes six (docs/architecture.md, "A revoke in one statement"). Either changes nothing
 * unless it is that very change, and then answers undefined.
 */
async function changeInOneStatement(
  ctx: AppContext,
  site: SiteRow,
  accountId: string,
  author: ChangeAuthor,
  action: 'revoke' | 'grant',
  note: CheckedNote,
): Promise<CustomerRecord | undefined> {
  const event = action === 'revoke' ? 'customer.access.revoked' : 'customer.access.granted';
  const along = { now: new Date(), audit: customerAdminEvent(ctx, author, site, { action: event, targetId: accountId, details: noteDetails(note) }), orgId: site.orgId, event };
  if (action === 'revoke') return revokeActiveCustomer(ctx.db, { ...along, siteId: site.id, accountId, actorId: authorAccountId(author), reason: note.reason });
  return grantRevokedCustomer(ctx.db, { ...along, siteId: site.id, accountId });
}
