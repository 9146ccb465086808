import type { ActorContext } from '../context.js';
import type { RequestStatus } from '../../db/schema.js';
import { badRequest, forbidden } from '../../domain/errors.js';
import { canWorkProject, type SiteRef } from '../../domain/policies.js';
import { transitionsFor } from '../../domain/request-workflow.js';
import { touchRequest } from '../../db/queries/requests.js';
import { notifyRequestPeople } from '../notifications/notify.js';
import { moveRequestStatus } from './move-status.js';
import { COMMENT_MAX } from './add-comment.js';
import { assertActorStillActive, loadVisibleRequest } from './visible-request.js';

/**
 * POST …/request/{key}/transition (docs/product.md#rest-transitions): performs one of the
 * transitions GET offers the caller — an agent's move, or the reporter resolving or reopening — with
 * an optional public comment, in one transaction: the new status, its history line and audit event
 * (moveRequestStatus), the comment, and the mails to the request's people (the comment's, as for any
 * public reply, and the change's). The comment explains the
 * move, so it does not move the request again as a reply would. A transition not offered from the
 * current status is a 400 that changes nothing; someone who may see the request but not move it
 * (a participant) gets 403.
 */
export async function performRequestTransition(
  ctx: ActorContext,
  input: { site: SiteRef; key: string; transitionId: string | undefined; comment?: string | undefined },
): Promise<{ key: string; from: RequestStatus; status: RequestStatus }> {
  const transitionId = input.transitionId?.trim() ?? '';
  if (transitionId === '') throw badRequest("'id' is required: the id of a transition GET …/transition offers.", { id: "'id' is required." });
  let comment: string | undefined;
  if (input.comment !== undefined) {
    comment = input.comment.trim();
    if (comment === '') throw badRequest('The comment cannot be empty.', { additionalComment: 'The comment cannot be empty.' });
    if (comment.length > COMMENT_MAX) throw badRequest(`A comment can have at most ${COMMENT_MAX} characters.`, { additionalComment: `A comment can have at most ${COMMENT_MAX} characters.` });
  }
  const actor = ctx.actor;
  const request = await loadVisibleRequest(ctx.db, actor, input.site, input.key);
  const caller = { worksProject: canWorkProject(actor, input.site, request.projectId), isReporter: request.reporterId === actor.accountId };
  if (!caller.worksProject && !caller.isReporter) throw forbidden('Only the person who raised this request, or its agents, can change its status.');

  return ctx.db.transaction().execute(async (trx) => {
    await assertActorStillActive(trx, actor);
    const current = await trx.selectFrom('requests').select('status').where('id', '=', request.id).forUpdate().executeTakeFirstOrThrow();
    const offered = transitionsFor(current.status, caller);
    const transition = offered.find((t) => t.id === transitionId);
    if (!transition) {
      const possible = offered.map((t) => `${t.id} (${t.name})`);
      const msg = possible.length
        ? `${request.key} is ${current.status}: transition '${transitionId.slice(0, 20)}' is not available; it can take ${possible.join(', ')}.`
        : `${request.key} is ${current.status}: its status can no longer be changed.`;
      throw badRequest(msg, { id: msg });
    }
    if (comment !== undefined) {
      await trx.insertInto('comments').values({ site_id: input.site.id, request_id: request.id, author_id: actor.accountId, body: comment, public: true }).execute();
      await touchRequest(trx, request.id);
    }
    await moveRequestStatus(trx, ctx, { site: input.site, request, from: current.status, to: transition.to });
    // the request's people are told of the comment as of any public reply, and of the change
    if (comment !== undefined) await notifyRequestPeople(trx, ctx, { siteId: input.site.id, requestId: request.id, event: 'commented', comment });
    await notifyRequestPeople(trx, ctx, { siteId: input.site.id, requestId: request.id, event: 'statusChanged', change: { from: current.status, to: transition.to } });
    return { key: request.key, from: current.status, status: transition.to };
  });
}
