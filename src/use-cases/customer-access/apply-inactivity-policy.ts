import type { AppContext } from '../context.js';
import { applyRevoke } from '../../db/queries/customer-access.js';
import { findInactiveCustomers, lockInactiveCustomer, markWarned } from '../../db/queries/inactivity-policy.js';
import { findSiteMailSettings } from '../../db/queries/notifications.js';
import { inactivityAction, inactivityReason, inactivityWarningMail, revokeDate } from '../../domain/inactivity-policy.js';
import { AUTOMATIC_POLICY, auditSiteChangeBy } from '../audit.js';
import { mailAccessNotices } from './access-notice.js';
import { publishCustomerEvent, publisherOf } from '../webhooks/publish-customer-event.js';

/** Customers looked at per run at most; the next run goes on. */
const BATCH = 500;

/**
 * What every site's inactivity policy asks for at `now` (docs/product.md#inactivity-policy), each
 * customer in their own transaction: a warning mail once an inactivity period (the customer marked
 * warned), or the ordinary revoke with every consequence — status, sessions, tokens, pickers, the
 * audit event `customer.access.revoked` by "Automatic policy" with the reason, the organization's
 * webhooks, the revoke notice if the policy sends it. Exactly once whatever runs it at the same time
 * on any instance: the row is locked and decided again from what it holds then, and a row another
 * instance holds is skipped. Decided from times alone, a run after downtime catches up.
 */
export async function applyInactivityPolicies(ctx: AppContext, now: Date): Promise<{ warned: number; revoked: number }> {
  let warned = 0;
  let revoked = 0;
  const policyCtx: AppContext = { ...ctx, ip: null, userAgent: 'Portico inactivity policy' };
  for (const candidate of await findInactiveCustomers(ctx.db, { enabledSites: true }, now, BATCH)) {
    if (!inactivityAction(candidate.policy, candidate, now)) continue;
    const done = await ctx.db.transaction().execute(async (trx) => {
      const current = await lockInactiveCustomer(trx, candidate.customer.accountId);
      if (!current) return null; // revoked, excluded, switched off since it was read, or another instance has it
      const action = inactivityAction(current.policy, current, now);
      if (!action) return null;
      const { customer, policy } = current;
      const site = await findSiteMailSettings(trx, customer.siteId);
      const siteUrl = `${ctx.origin}/s/${site.slug}/servicedesk/customer/portals`;
      if (action === 'warn') {
        await markWarned(trx, customer.accountId, now);
        if (customer.email && !customer.awaitingVerification) {
          const mail = inactivityWarningMail({ name: customer.displayName ?? customer.email, siteName: site.name, siteUrl, revokeOn: revokeDate(policy, current.since) });
          await ctx.mailer.send(trx, { to: customer.email, subject: mail.subject, body: mail.text, orgId: site.orgId, siteId: site.id, recipientId: customer.accountId });
        }
        await publishCustomerEvent(trx, publisherOf(ctx, null), site, 'customer.access.warned', [{ accountId: customer.accountId, status: 'active' }], {
          policy: 'inactivity',
          revokeOn: revokeDate(policy, current.since).toISOString(),
        });
        return action;
      }
      const reason = inactivityReason(policy.inactiveDays);
      await applyRevoke(trx, [customer.accountId], null, now, reason);
      await auditSiteChangeBy(trx, policyCtx, AUTOMATIC_POLICY, site, 'customer.access.revoked', {
        reason,
        inactiveSince: current.since.toISOString(),
        inactiveDays: policy.inactiveDays,
        ...(policy.notifyOnRevoke ? { notified: true } : {}),
      }, customer.accountId);
      await publishCustomerEvent(trx, publisherOf(ctx, null), site, 'customer.access.revoked', [{ accountId: customer.accountId, status: 'revoked' }], { policy: 'inactivity' });
      await mailAccessNotices(trx, ctx, site, 'revoked', [customer], { reason, notify: policy.notifyOnRevoke, includeReason: policy.notifyOnRevoke });
      return action;
    });
    if (done === 'warn') warned++;
    if (done === 'revoke') revoked++;
  }
  ctx.counters?.customerAccessChanged('revoke', revoked);
  return { warned, revoked };
}
