import { appendRequestHistory } from '../../db/queries/request-history.js';
import { loadAccounts } from '../../db/queries/accounts.js';
import type { CommentRow } from '../../db/queries/request-detail.js';
import { touchRequest } from '../../db/queries/requests.js';
import { badRequest } from '../../domain/errors.js';
import type { SiteRef } from '../../domain/policies.js';
import type { ActorContext } from '../context.js';
import { COMMENT_MAX } from './add-comment.js';
import { withOwnComment } from './own-comment.js';

/**
 * The author edits their comment within the edit window (docs/product.md#composer). The text it had
 * is kept in the request's history (agents see it there), in the same transaction as the edit. An
 * edit does not move the request's status and is not mailed again.
 */
export async function editComment(
  ctx: ActorContext,
  input: { site: SiteRef; key: string; commentId: string; body: unknown },
): Promise<CommentRow> {
  if (typeof input.body !== 'string' || input.body.trim() === '') throw badRequest('The comment cannot be empty.', { body: 'The comment cannot be empty.' });
  const body = input.body.trim();
  if (body.length > COMMENT_MAX) throw badRequest(`A comment can have at most ${COMMENT_MAX} characters.`, { body: `A comment can have at most ${COMMENT_MAX} characters.` });
  const edited = await withOwnComment(ctx, input, async (trx, request, comment, now) => {
    if (comment.body === body) return { comment, editedAt: null };
    await trx.updateTable('comments').set({ body, edited_at: now }).where('id', '=', comment.id).execute();
    await touchRequest(trx, request.id);
    await appendRequestHistory(trx, [{
      siteId: input.site.id, requestId: request.id, actorId: ctx.actor.accountId,
      field: 'comment', fieldName: comment.public ? 'Reply' : 'Internal note', change: 'edited',
      from: comment.body, to: body, commentId: comment.id, at: now,
    }]);
    return { comment, editedAt: now };
  });
  const author = (await loadAccounts(ctx.db, [ctx.actor.accountId])).get(ctx.actor.accountId)!;
  return { id: edited.comment.id, body, public: edited.comment.public, createdAt: edited.comment.createdAt, editedAt: edited.editedAt, author };
}
