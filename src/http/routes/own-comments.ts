import { Type } from 'typebox';
import type { App, AppDeps } from '../deps.js';
import { contextFor } from '../deps.js';
import { requireSite } from '../plugins/auth.js';
import { presentComment } from '../presenters/comments.js';
import { apiErrors, NoContent } from '../schemas/common.js';
import { CommentSchema } from '../schemas/requests.js';
import { editComment } from '../../use-cases/requests/edit-comment.js';
import { deleteComment } from '../../use-cases/requests/delete-comment.js';

const CommentParams = Type.Object({
  site: Type.String({ minLength: 1, maxLength: 63 }),
  key: Type.String({ minLength: 1, maxLength: 40 }),
  commentId: Type.String({ minLength: 1, maxLength: 40 }),
});

/**
 * An author edits or deletes their own comment within the edit window (docs/product.md#composer),
 * the same routes under the help center's API and the agent workspace's (`base`: `/s/:site/api/portal`
 * or `/s/:site/api/agent`); the use cases check the author and the window.
 */
export function registerOwnCommentRoutes(app: App, deps: AppDeps, base: string, tags: string[]): void {
  app.put(`${base}/requests/:key/comments/:commentId`, {
    schema: {
      tags,
      summary: 'Edit your own comment, within the edit window',
      params: CommentParams,
      body: Type.Object({ body: Type.String({ maxLength: 40_000 }) }, { additionalProperties: false }),
      response: { 200: CommentSchema, ...apiErrors },
    },
  }, async (request) => {
    const ctx = await contextFor(deps, request);
    const comment = await editComment(ctx, { site: requireSite(request), key: request.params.key, commentId: request.params.commentId, body: request.body.body });
    return presentComment(comment, ctx.actor, { editWindowMinutes: deps.config.commentEditWindowMinutes });
  });

  app.delete(`${base}/requests/:key/comments/:commentId`, {
    schema: { tags, summary: 'Delete your own comment, within the edit window', params: CommentParams, response: { 204: NoContent, ...apiErrors } },
  }, async (request, reply) => {
    const ctx = await contextFor(deps, request);
    await deleteComment(ctx, { site: requireSite(request), key: request.params.key, commentId: request.params.commentId });
    return reply.code(204).send(null);
  });
}
