import type { AppContext } from '../context.js';
import { appendAuditEvent } from '../../db/queries/audit.js';
import { applyRevoke } from '../../db/queries/customer-access.js';
import { findExpiredAccess, lockExpiredCustomer } from '../../db/queries/access-until.js';
import { findSiteMailSettings } from '../../db/queries/notifications.js';
import { mailAccessNotices } from './access-notice.js';
import { publishCustomerEvent, publisherOf } from '../webhooks/publish-customer-event.js';

/** Customers revoked per run at most; the next run (a minute later at most) goes on. */
const BATCH = 500;

/**
 * Revokes every active customer whose "access until" is past at `now` (docs/product.md#access-until):
 * each in its own transaction, exactly like an admin's revoke — status, sessions, tokens, pickers,
 * audit event `customer.access.revoked` (actor: the admin who set the date; details: the date, the
 * reason given then, `expired: true`), the organization's webhooks, and the notice if one was asked for. Exactly once whatever runs
 * it at the same time on any instance: the row is locked and re-read (still active, still past) in
 * the revoking transaction, and a row another instance holds is skipped. Returns how many it revoked.
 */
export async function revokeExpiredAccess(ctx: AppContext, now: Date): Promise<number> {
  let revoked = 0;
  for (const accountId of await findExpiredAccess(ctx.db, now, BATCH)) {
    const done = await ctx.db.transaction().execute(async (trx) => {
      const expired = await lockExpiredCustomer(trx, accountId, now);
      if (!expired) return false; // revoked, granted, cleared or moved since it was read, or another instance has it
      const { customer, until, by, reason, notice } = expired;
      await applyRevoke(trx, [customer.accountId], by ?? customer.accountId, now, reason);
      const site = await findSiteMailSettings(trx, customer.siteId);
      await appendAuditEvent(trx, {
        action: 'customer.access.revoked',
        orgId: site.orgId,
        siteId: site.id,
        actorId: by,
        targetId: customer.accountId,
        ip: null,
        userAgent: 'Portico access-until',
        details: { expired: true, accessUntil: until.toISOString(), ...(reason !== null ? { reason } : {}), ...(notice ? { notified: true } : {}) },
      });
      await publishCustomerEvent(trx, publisherOf(ctx, by), site, 'customer.access.revoked', [{ accountId: customer.accountId, status: 'revoked' }], { policy: 'access_until' });
      await mailAccessNotices(trx, ctx, site, 'revoked', [customer], { reason, notify: notice !== null, includeReason: notice === 'notice_with_reason' });
      return true;
    });
    if (done) revoked++;
  }
  ctx.counters?.customerAccessChanged('revoke', revoked);
  return revoked;
}
