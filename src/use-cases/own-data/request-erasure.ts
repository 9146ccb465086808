import type { SiteRow } from '../../db/queries/sites.js';
import { insertErasureRequest, pendingErasureOf, type ErasureRequestRow } from '../../db/queries/own-data.js';
import { auditSiteChange } from '../audit.js';
import type { ActorContext } from '../context.js';
import { authorizeOwnData, optionalText } from './own-data.js';

/**
 * A customer asks for their account to be erased (docs/product.md#own-data): one pending request
 * per account — asking again while one is pending answers that one (`created: false`) and changes
 * nothing. Audited as `customer.erasure.requested`.
 */
export async function requestErasure(
  ctx: ActorContext,
  input: { site: SiteRow; accountId: string; reason?: string | null },
): Promise<{ request: ErasureRequestRow; created: boolean }> {
  authorizeOwnData(ctx, input.site, input.accountId);
  const reason = optionalText(input.reason, 'reason');
  return ctx.db.transaction().execute(async (trx) => {
    // the account row, locked: two tabs asking at once make one request
    await trx.selectFrom('accounts').select('account_id').where('account_id', '=', input.accountId).forUpdate().executeTakeFirstOrThrow();
    const pending = await pendingErasureOf(trx, input.site.id, input.accountId);
    if (pending) return { request: pending, created: false };
    const request = await insertErasureRequest(trx, input.site.id, input.accountId, reason);
    await auditSiteChange(trx, ctx, input.site, 'customer.erasure.requested', { erasureRequestId: request.id, reason }, input.accountId);
    return { request, created: true };
  });
}
