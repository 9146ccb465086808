import type { Transaction } from 'kysely';
import type { Database } from '../../db/schema.js';
import type { ActorContext } from '../context.js';
import { canWorkProject, decideComment, type SiteRef } from '../../domain/policies.js';
import { moveAfterPublicReply } from './move-status.js';
import { badRequest } from '../../domain/errors.js';
import { loadAccounts } from '../../db/queries/accounts.js';
import { touchRequest, type RequestRow } from '../../db/queries/requests.js';
import type { CommentRow } from '../../db/queries/request-detail.js';
import { enforce } from '../authorize.js';
import { assertActorStillActive, loadVisibleRequest } from './visible-request.js';
import { notifyRequestPeople } from '../notifications/notify.js';

export const COMMENT_MAX = 32_767;

/**
 * Adds a comment to a request the caller can see. Customers write public replies only; agents of
 * the project and admins may also write internal notes (public = false). A public reply moves the
 * conversation along (docs/product.md#workflow, statusAfterReply): support's reply hands the
 * request to the customer, the customer's hands it back — and reopens it if it was resolved within
 * the reopen window — in the same transaction as the comment. `alsoInTransaction` writes what
 * belongs to the comment (its files: temporary-attachments.ts) in that transaction too.
 */
export async function addComment(
  ctx: ActorContext,
  input: { site: SiteRef; key: string; body: unknown; public: unknown; alsoInTransaction?: (trx: Transaction<Database>, request: RequestRow, commentId: string) => Promise<void> },
): Promise<{ request: RequestRow; comment: CommentRow }> {
  const actor = ctx.actor;
  const request = await loadVisibleRequest(ctx.db, actor, input.site, input.key);
  if (typeof input.body !== 'string' || input.body.trim() === '') throw badRequest('The comment cannot be empty.', { body: 'The comment cannot be empty.' });
  const body = input.body.trim();
  if (body.length > COMMENT_MAX) throw badRequest(`A comment can have at most ${COMMENT_MAX} characters.`, { body: `A comment can have at most ${COMMENT_MAX} characters.` });
  if (typeof input.public !== 'boolean') throw badRequest(`'public' must be true or false.`, { public: `'public' must be true or false.` });
  enforce(decideComment(actor, input.site, request, input.public), { forbidden: 'Only agents can add internal comments.' });

  const row = await ctx.db.transaction().execute(async (trx) => {
    await assertActorStillActive(trx, actor);
    const inserted = await trx
      .insertInto('comments')
      .values({ site_id: input.site.id, request_id: request.id, author_id: actor.accountId, body, public: input.public as boolean })
      .returning(['id', 'created_at'])
      .executeTakeFirstOrThrow();
    await input.alsoInTransaction?.(trx, request, String(inserted.id));
    await touchRequest(trx, request.id);
    if (input.public === true) {
      await moveAfterPublicReply(trx, ctx, { site: input.site, request, by: canWorkProject(actor, input.site, request.projectId) ? 'support' : 'customer' });
    }
    // A public reply is mailed to the request's people; an internal note never is.
    if (input.public === true) await notifyRequestPeople(trx, ctx, { siteId: input.site.id, requestId: request.id, event: 'commented', comment: body });
    return inserted;
  });
  const author = (await loadAccounts(ctx.db, [actor.accountId])).get(actor.accountId)!;
  return { request, comment: { id: String(row.id), body, public: input.public as boolean, createdAt: new Date(row.created_at), author, editedAt: null } };
}
