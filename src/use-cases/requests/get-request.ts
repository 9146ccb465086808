import type { ActorContext } from '../context.js';
import { mayUseInternalComments, requestPermissions, type RequestPermissions, type SiteRef } from '../../domain/policies.js';
import { loadRequestDetail, type RequestDetail } from '../../db/queries/request-detail.js';
import { loadVisibleRequest } from './visible-request.js';

export type { RequestPermissions };

/**
 * One request with reporter, participants, picker values and comments as stored accounts. 404 when
 * the caller may not see it; customers get public comments only.
 */
export async function getRequest(
  ctx: ActorContext,
  input: { site: SiteRef; key: string },
): Promise<RequestDetail & { permissions: RequestPermissions }> {
  const request = await loadVisibleRequest(ctx.db, ctx.actor, input.site, input.key);
  const internal = mayUseInternalComments(ctx.actor, input.site, request);
  const detail = await loadRequestDetail(ctx.db, request, { publicCommentsOnly: !internal });
  return { ...detail, permissions: requestPermissions(ctx.actor, input.site, request, detail.participants.map((p) => p.accountId)) };
}
