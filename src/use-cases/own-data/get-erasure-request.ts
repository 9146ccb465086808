import type { SiteRow } from '../../db/queries/sites.js';
import { pendingErasureOf, type ErasureRequestRow } from '../../db/queries/own-data.js';
import type { ActorContext } from '../context.js';
import { authorizeOwnData } from './own-data.js';

/** The customer's pending erasure request, if any (their profile shows it and offers to withdraw it). */
export async function getPendingErasure(ctx: ActorContext, input: { site: SiteRow; accountId: string }): Promise<ErasureRequestRow | null> {
  authorizeOwnData(ctx, input.site, input.accountId);
  return (await pendingErasureOf(ctx.db, input.site.id, input.accountId)) ?? null;
}
