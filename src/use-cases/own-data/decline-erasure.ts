import type { SiteRow } from '../../db/queries/sites.js';
import { decideErasureRequest, lockErasureRequest, type ErasureRequestRow } from '../../db/queries/own-data.js';
import { lockCustomerInSite } from '../../db/queries/customer-records.js';
import { displayLabel } from '../../domain/display.js';
import { AppError, badRequest, notFound } from '../../domain/errors.js';
import { auditSiteChange } from '../audit.js';
import type { ActorContext } from '../context.js';
import { authorizeErasureReview, erasureRequestId, mailErasureDecision, optionalText } from './own-data.js';

/**
 * A site admin declines a customer's erasure request with a note (required: the customer is owed a
 * reason), mailed to the customer. Audited as `customer.erasure.declined` with the note.
 */
export async function declineErasure(ctx: ActorContext, input: { site: SiteRow; id: string; note: string }): Promise<ErasureRequestRow> {
  authorizeErasureReview(ctx, input.site);
  const id = erasureRequestId(input.id);
  const note = optionalText(input.note, 'note');
  if (note === null) throw badRequest('Say why the request is declined: the note is mailed to the customer.', { note: 'Say why the request is declined.' });
  return ctx.db.transaction().execute(async (trx) => {
    const request = await lockErasureRequest(trx, input.site.id, id);
    if (!request) throw notFound('Erasure request not found.');
    if (request.status !== 'pending') throw new AppError('conflict', `This erasure request is already ${request.status}.`);
    const decided = await decideErasureRequest(trx, request.id, { status: 'declined', decidedBy: ctx.actor.accountId, note });
    await auditSiteChange(trx, ctx, input.site, 'customer.erasure.declined', { erasureRequestId: request.id, note }, request.account_id);
    const customer = await lockCustomerInSite(trx, input.site.id, request.account_id);
    if (customer && customer.email !== null && customer.status !== 'deleted') {
      await mailErasureDecision(trx, ctx, input.site, { email: customer.email, name: displayLabel({ display_name: customer.displayName, status: 'active' }), accountId: customer.accountId }, decided);
    }
    return decided;
  });
}
