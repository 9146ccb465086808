import type { ActorContext } from '../context.js';
import { mayUseInternalComments, requestPermissions, type RequestPermissions, type SiteRef } from '../../domain/policies.js';
import { loadRequestDetail, type RequestDetail } from '../../db/queries/request-detail.js';
import { loadVisibleRequest } from './visible-request.js';
import { statusHistoryOf } from './list-status-history.js';

export type { RequestPermissions };

/**
 * One request with reporter, participants, picker values and comments as stored accounts (and, when
 * asked, the statuses it has had). 404 when
 * the caller may not see it; customers get public comments only.
 */
export async function getRequest(
  ctx: ActorContext,
  input: { site: SiteRef; key: string; withStatusHistory?: boolean },
): Promise<RequestDetail & { permissions: RequestPermissions }> {
  const request = await loadVisibleRequest(ctx.db, ctx.actor, input.site, input.key);
  const internal = mayUseInternalComments(ctx.actor, input.site, request);
  const detail = await loadRequestDetail(ctx.db, request, { publicCommentsOnly: !internal });
  if (input.withStatusHistory) detail.statusHistory = await statusHistoryOf(ctx.db, request);
  return { ...detail, permissions: requestPermissions(ctx.actor, input.site, request, detail.participants.map((p) => p.accountId)) };
}
