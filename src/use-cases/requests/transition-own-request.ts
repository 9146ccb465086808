import type { ActorContext } from '../context.js';
import type { RequestStatus } from '../../db/schema.js';
import { badRequest } from '../../domain/errors.js';
import { decideCustomerTransition, type SiteRef } from '../../domain/policies.js';
import { customerTransitionsFrom, findCustomerTransition } from '../../domain/request-workflow.js';
import { enforce } from '../authorize.js';
import { notifyRequestPeople } from '../notifications/notify.js';
import { moveRequestStatus } from './move-status.js';
import { assertActorStillActive, loadVisibleRequest } from './visible-request.js';

/**
 * The reporter marks their request resolved, or reopens it while it is resolved (it goes back to
 * support: Waiting for support), from the help center (docs/product.md#workflow). Anyone else who
 * sees it gets 403; a move the customer's workflow does not have from the current status (a closed
 * request, resolving a resolved one) is a 400 that changes nothing. The request's other people are
 * mailed about the change, as for an agent's.
 */
export async function transitionOwnRequest(
  ctx: ActorContext,
  input: { site: SiteRef; key: string; to: string },
): Promise<{ key: string; from: RequestStatus; status: RequestStatus; updatedAt: Date }> {
  const request = await loadVisibleRequest(ctx.db, ctx.actor, input.site, input.key);
  enforce(decideCustomerTransition(ctx.actor, request), { forbidden: 'Only the person who raised this request can resolve or reopen it.' });
  return ctx.db.transaction().execute(async (trx) => {
    await assertActorStillActive(trx, ctx.actor);
    const current = await trx.selectFrom('requests').select('status').where('id', '=', request.id).forUpdate().executeTakeFirstOrThrow();
    const transition = findCustomerTransition(current.status, input.to);
    if (!transition) {
      const possible = customerTransitionsFrom(current.status).map((t) => `'${t.to}'`);
      const msg = possible.length
        ? `${request.key} is ${current.status}: it can only be moved to ${possible.join(' or ')} from here.`
        : `${request.key} is ${current.status}: it can no longer be changed from the help center.`;
      throw badRequest(msg, { status: msg });
    }
    const updatedAt = await moveRequestStatus(trx, ctx, { site: input.site, request, from: current.status, to: transition.to });
    await notifyRequestPeople(trx, ctx, { siteId: input.site.id, requestId: request.id, event: 'statusChanged', change: { from: current.status, to: transition.to } });
    return { key: request.key, from: current.status, status: transition.to, updatedAt };
  });
}
