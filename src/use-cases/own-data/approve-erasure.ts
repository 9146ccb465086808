import { authorOf } from '../audit.js';
import type { SiteRow } from '../../db/queries/sites.js';
import { decideErasureRequest, lockErasureRequest, type ErasureRequestRow } from '../../db/queries/own-data.js';
import { lockCustomerInSite } from '../../db/queries/customer-records.js';
import { displayLabel } from '../../domain/display.js';
import { AppError, notFound } from '../../domain/errors.js';
import { auditSiteChange } from '../audit.js';
import type { ActorContext } from '../context.js';
import { deleteCustomerIn } from '../customers/delete-customer.js';
import { authorizeErasureReview, erasureRequestId, mailErasureDecision } from './own-data.js';

/**
 * A site admin approves a customer's erasure request: the existing delete
 * (customers/delete-customer.ts — "Former user (Deactivated)" everywhere, sessions and tokens gone,
 * the email free again), the request marked approved with its reason cleared, the customer told by
 * mail — one transaction. Audited as `customer.erasure.approved` and the delete's own
 * `customer.deleted` naming the request.
 */
export async function approveErasure(ctx: ActorContext, input: { site: SiteRow; id: string }): Promise<ErasureRequestRow> {
  authorizeErasureReview(ctx, input.site);
  const id = erasureRequestId(input.id);
  return ctx.db.transaction().execute(async (trx) => {
    const request = await lockErasureRequest(trx, input.site.id, id);
    if (!request) throw notFound('Erasure request not found.');
    if (request.status !== 'pending') throw new AppError('conflict', `This erasure request is already ${request.status}.`);
    const customer = await lockCustomerInSite(trx, input.site.id, request.account_id);
    if (!customer || customer.status === 'deleted' || customer.email === null) throw notFound('Customer not found.');
    const to = { email: customer.email, name: displayLabel({ display_name: customer.displayName, status: 'active' }), accountId: customer.accountId };
    await deleteCustomerIn(trx, ctx, authorOf(ctx), input.site, request.account_id, { erasureRequestId: request.id });
    const decided = await decideErasureRequest(trx, request.id, { status: 'approved', decidedBy: ctx.actor.accountId, note: null, clearReason: true });
    await auditSiteChange(trx, ctx, input.site, 'customer.erasure.approved', { erasureRequestId: request.id }, request.account_id);
    await mailErasureDecision(trx, ctx, input.site, to, decided);
    return decided;
  });
}
