import type { Transaction } from 'kysely';
import type { Database } from '../../db/schema.js';
import { badRequest, forbidden, notFound } from '../../domain/errors.js';
import { decideCommentChange } from '../../domain/comments.js';
import type { SiteRef } from '../../domain/policies.js';
import type { RequestRow } from '../../db/queries/requests.js';
import type { ActorContext } from '../context.js';
import { assertActorStillActive, loadVisibleRequest } from './visible-request.js';

// Shared by edit-comment.ts and delete-comment.ts: the caller's own comment on a request they can
// see, locked for the change, if its edit window is still open (domain/comments.ts).

export interface OwnComment {
  id: string;
  body: string;
  public: boolean;
  createdAt: Date;
}

function parseCommentId(commentId: string): string {
  if (!/^[0-9]{1,18}$/.test(commentId)) throw badRequest(`'${commentId.slice(0, 40)}' is not a comment id.`, { commentId: 'A comment id is a number.' });
  return commentId;
}

export async function withOwnComment<T>(
  ctx: ActorContext,
  input: { site: SiteRef; key: string; commentId: string },
  change: (trx: Transaction<Database>, request: RequestRow, comment: OwnComment, now: Date) => Promise<T>,
): Promise<T> {
  const request = await loadVisibleRequest(ctx.db, ctx.actor, input.site, input.key);
  const commentId = parseCommentId(input.commentId);
  return ctx.db.transaction().execute(async (trx) => {
    await assertActorStillActive(trx, ctx.actor);
    const row = await trx
      .selectFrom('comments')
      .select(['id', 'author_id', 'body', 'public', 'created_at'])
      .where('id', '=', commentId)
      .where('request_id', '=', request.id)
      .where('deleted_at', 'is', null)
      .forUpdate()
      .executeTakeFirst();
    // an internal note does not exist for a customer
    if (!row || (!row.public && ctx.actor.kind !== 'staff')) throw notFound(`Comment ${commentId} of ${request.key} was not found.`);
    const now = new Date();
    const decision = decideCommentChange({ authorId: row.author_id, createdAt: new Date(row.created_at) }, ctx.actor.accountId, {
      now,
      windowMinutes: ctx.config.commentEditWindowMinutes,
    });
    if (decision === 'not-author') throw forbidden('Only the author of a comment can edit or delete it.');
    if (decision === 'window-passed') {
      const minutes = ctx.config.commentEditWindowMinutes;
      throw forbidden(`A comment can be edited or deleted only in the ${minutes} minute${minutes === 1 ? '' : 's'} after it was written.`);
    }
    return change(trx, request, { id: String(row.id), body: row.body, public: row.public, createdAt: new Date(row.created_at) }, now);
  });
}
