import { authorOf } from '../audit.js';
import type { ActorContext } from '../context.js';
import { auditSiteChange } from '../audit.js';
import { writeAccessUntil } from '../../db/queries/access-until.js';
import { isCustomerAccountId, lockCustomersInSite, type CustomerRecord } from '../../db/queries/customer-records.js';
import { decideCustomerTarget } from '../../domain/policies/customers.js';
import { parseAccessUntil } from '../../domain/access-until.js';
import { badRequest } from '../../domain/errors.js';
import { appendCustomerAdminEvent, authorizeCustomerAction, authorizeSiteAction, lockCustomerForAdmin } from '../customers/customer-admin.js';
import { checkNote, type AccessChangeNote, type CheckedNote } from './access-notice.js';
import { BULK_MAX } from './bulk-change-customer-access.js';

/**
 * "Access until" (docs/product.md#access-until): an active customer's access ends by itself at a
 * date (revoke-expired-access.ts does it, within a minute), with the reason and notice chosen now.
 * `until: null` clears it. Whoever may revoke the customer may date it; the admin who does is the
 * revoke's "by whom". A revoked customer has no access to end: 400. Audit events
 * `customer.access_until.set` / `customer.access_until.cleared`.
 */
export async function setCustomerAccessUntil(
  ctx: ActorContext,
  input: { siteSlug: string; accountId: string; until: string | null; note?: AccessChangeNote },
): Promise<{ customer: CustomerRecord; changed: boolean }> {
  const site = await authorizeCustomerAction(ctx, input, 'revoke');
  const until = input.until === null ? null : parseAccessUntil(input.until, new Date());
  const note = checkNote(input.note ?? {});
  return ctx.db.transaction().execute(async (trx) => {
    const customer = await lockCustomerForAdmin(trx, site, input.accountId);
    if (until === null) {
      if (customer.accessUntil === null) return { customer, changed: false };
      await writeAccessUntil(trx, [customer.accountId], null);
      await appendCustomerAdminEvent(trx, ctx, authorOf(ctx), site, { action: 'customer.access_until.cleared', targetId: customer.accountId, details: { was: customer.accessUntil.toISOString() } });
      return { customer: { ...customer, accessUntil: null }, changed: true };
    }
    if (customer.status !== 'active') throw revokedAlready();
    await writeAccessUntil(trx, [customer.accountId], setting(ctx, until, note));
    await appendCustomerAdminEvent(trx, ctx, authorOf(ctx), site, { action: 'customer.access_until.set', targetId: customer.accountId, details: setDetails(until, note) });
    return { customer: { ...customer, accessUntil: until }, changed: true };
  });
}

export interface BulkAccessUntilResult {
  changed: number;
  /** customers whose access is revoked already: no date set for them */
  skipped: string[];
}

/**
 * The same for up to 1,000 customers, all or nothing: an id that names no customer of the site
 * refuses the whole request (as a bulk revoke does); revoked customers are skipped when dating (they
 * have no access to end) and reported.
 */
export async function bulkSetAccessUntil(
  ctx: ActorContext,
  input: { siteSlug: string; accountIds: string[]; until: string | null; note?: AccessChangeNote },
): Promise<BulkAccessUntilResult> {
  const site = await authorizeSiteAction(ctx, input.siteSlug, 'revoke');
  if (input.accountIds.length === 0) throw badRequest('Select at least one customer.', { accountIds: 'Select at least one customer.' });
  if (input.accountIds.length > BULK_MAX) {
    const m = `At most ${BULK_MAX} customers can be changed at once.`;
    throw badRequest(m, { accountIds: m });
  }
  const until = input.until === null ? null : parseAccessUntil(input.until, new Date());
  const note = checkNote(input.note ?? {});
  const ids = [...new Set(input.accountIds)];
  return ctx.db.transaction().execute(async (trx) => {
    const locked = (await lockCustomersInSite(trx, site.id, ids.filter(isCustomerAccountId))).filter((c) => decideCustomerTarget(c) === 'allow');
    if (locked.length !== ids.length) {
      const m = `Nothing was changed: ${ids.length - locked.length} of the selected accounts are not customers of this site.`;
      throw badRequest(m, { accountIds: m });
    }
    if (until === null) {
      const dated = locked.filter((c) => c.accessUntil !== null);
      await writeAccessUntil(trx, dated.map((c) => c.accountId), null);
      for (const c of dated) await auditSiteChange(trx, ctx, site, 'customer.access_until.cleared', { bulk: true, was: c.accessUntil!.toISOString() }, c.accountId);
      return { changed: dated.length, skipped: [] };
    }
    const active = locked.filter((c) => c.status === 'active');
    await writeAccessUntil(trx, active.map((c) => c.accountId), setting(ctx, until, note));
    for (const c of active) await auditSiteChange(trx, ctx, site, 'customer.access_until.set', { bulk: true, ...setDetails(until, note) }, c.accountId);
    return { changed: active.length, skipped: locked.filter((c) => c.status !== 'active').map((c) => c.accountId) };
  });
}

function revokedAlready() {
  const m = 'This customer’s access is already revoked: grant it first to give them access until a date.';
  return badRequest(m, { until: m });
}

function setting(ctx: ActorContext, until: Date, note: CheckedNote) {
  return { until, by: ctx.actor.accountId, reason: note.reason, notice: note.notify ? (note.includeReason ? 'notice_with_reason' as const : 'notice' as const) : null };
}

function setDetails(until: Date, note: CheckedNote): Record<string, unknown> {
  return { accessUntil: until.toISOString(), ...(note.reason !== null ? { reason: note.reason } : {}), ...(note.notify ? { notify: true } : {}) };
}
