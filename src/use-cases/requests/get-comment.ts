import type { ActorContext } from '../context.js';
import { mayUseInternalComments, type SiteRef } from '../../domain/policies.js';
import { notFound } from '../../domain/errors.js';
import type { RequestRow } from '../../db/queries/requests.js';
import { findComment, type CommentRow } from '../../db/queries/request-detail.js';
import { loadVisibleRequest } from './visible-request.js';

/**
 * One comment of a request the caller can see. An internal note does not exist for a customer (404,
 * as the comment list leaves it out), nor does a deleted comment.
 */
export async function getComment(
  ctx: ActorContext,
  input: { site: SiteRef; key: string; commentId: string },
): Promise<{ request: RequestRow; comment: CommentRow }> {
  const request = await loadVisibleRequest(ctx.db, ctx.actor, input.site, input.key);
  const comment = await findComment(ctx.db, request.id, input.commentId.trim(), { publicOnly: !mayUseInternalComments(ctx.actor, input.site, request) });
  if (!comment) throw notFound(`Comment '${input.commentId.slice(0, 40)}' of ${request.key} does not exist or you do not have permission to see it.`);
  return { request, comment };
}
