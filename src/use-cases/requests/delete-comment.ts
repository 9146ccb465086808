import { appendRequestHistory } from '../../db/queries/request-history.js';
import { touchRequest } from '../../db/queries/requests.js';
import type { SiteRef } from '../../domain/policies.js';
import type { ActorContext } from '../context.js';
import { withOwnComment } from './own-comment.js';

/**
 * The author deletes their comment within the edit window (docs/product.md#composer). It leaves
 * every list of comments; its text is blanked (text search forgets it) and kept in the request's
 * history for agents, in the same transaction.
 */
export async function deleteComment(ctx: ActorContext, input: { site: SiteRef; key: string; commentId: string }): Promise<void> {
  await withOwnComment(ctx, input, async (trx, request, comment, now) => {
    await trx.updateTable('comments').set({ body: '', deleted_at: now }).where('id', '=', comment.id).execute();
    await touchRequest(trx, request.id);
    await appendRequestHistory(trx, [{
      siteId: input.site.id, requestId: request.id, actorId: ctx.actor.accountId,
      field: 'comment', fieldName: comment.public ? 'Reply' : 'Internal note', change: 'deleted',
      from: comment.body, to: null, commentId: comment.id, at: now,
    }]);
  });
}
