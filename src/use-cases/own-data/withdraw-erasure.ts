import type { SiteRow } from '../../db/queries/sites.js';
import { decideErasureRequest, lockErasureRequest, pendingErasureOf } from '../../db/queries/own-data.js';
import { notFound } from '../../domain/errors.js';
import { auditSiteChange } from '../audit.js';
import type { ActorContext } from '../context.js';
import { authorizeOwnData } from './own-data.js';

/** The customer withdraws their pending erasure request; none pending is a 404. Audited as `customer.erasure.withdrawn`. */
export async function withdrawErasure(ctx: ActorContext, input: { site: SiteRow; accountId: string }): Promise<void> {
  authorizeOwnData(ctx, input.site, input.accountId);
  await ctx.db.transaction().execute(async (trx) => {
    const pending = await pendingErasureOf(trx, input.site.id, input.accountId);
    const locked = pending && (await lockErasureRequest(trx, input.site.id, pending.id));
    if (!locked || locked.status !== 'pending') throw notFound('You have no pending erasure request.');
    await decideErasureRequest(trx, locked.id, { status: 'withdrawn', decidedBy: input.accountId, note: null });
    await auditSiteChange(trx, ctx, input.site, 'customer.erasure.withdrawn', { erasureRequestId: locked.id }, input.accountId);
  });
}
