import type { SiteRow } from '../../db/queries/sites.js';
import { listPendingErasures, type PendingErasureListRow } from '../../db/queries/own-data.js';
import { pageOffset } from '../../domain/limits.js';
import type { ActorContext } from '../context.js';
import { authorizeErasureReview } from './own-data.js';

/** The site's pending erasure requests, oldest first (its admins; docs/product.md#own-data). */
export async function listErasureRequests(
  ctx: ActorContext,
  input: { site: SiteRow; start?: number; limit?: number },
): Promise<{ start: number; limit: number; total: number; values: PendingErasureListRow[] }> {
  authorizeErasureReview(ctx, input.site);
  const start = pageOffset(input.start);
  const limit = Math.max(1, Math.min(100, Math.floor(input.limit ?? 50)));
  const { rows, total } = await listPendingErasures(ctx.db, input.site.id, start, limit);
  return { start, limit, total, values: rows };
}
