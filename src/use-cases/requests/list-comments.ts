import type { ActorContext } from '../context.js';
import { mayUseInternalComments, type SiteRef } from '../../domain/policies.js';
import type { RequestRow } from '../../db/queries/requests.js';
import { listComments as queryComments, type CommentRow } from '../../db/queries/request-detail.js';
import { loadVisibleRequest } from './visible-request.js';
import { pageOffset } from '../../domain/limits.js';

/**
 * The comments of a request the caller can see, oldest first, paged. Customers never receive
 * internal comments; agents choose public and/or internal (both by default).
 */
export async function listComments(
  ctx: ActorContext,
  input: { site: SiteRef; key: string; public?: boolean; internal?: boolean; start?: number; limit?: number },
): Promise<{ request: RequestRow; start: number; limit: number; total: number; isLastPage: boolean; values: CommentRow[] }> {
  const actor = ctx.actor;
  const request = await loadVisibleRequest(ctx.db, actor, input.site, input.key);
  const start = pageOffset(input.start);
  const limit = Math.max(1, Math.min(100, Math.floor(input.limit ?? 50)));
  const works = mayUseInternalComments(actor, input.site, request);
  const wantPublic = input.public !== false;
  const wantInternal = works && input.internal !== false;
  if (!wantPublic && !wantInternal) return { request, start, limit, total: 0, isLastPage: true, values: [] };
  const { comments, total } = await queryComments(ctx.db, request.id, {
    publicOnly: !wantInternal,
    includePublic: wantPublic,
    start,
    limit,
  });
  return { request, start, limit, total, isLastPage: start + comments.length >= total, values: comments };
}
