import type { RequestStatus } from '../../db/schema.js';
import { badRequest } from '../../domain/errors.js';
import type { SiteRef } from '../../domain/policies.js';
import { findTransition, transitionsFrom } from '../../domain/request-workflow.js';
import { loadWorkableRequest } from './agent-access.js';
import type { ActorContext } from '../context.js';
import { notifyRequestPeople } from '../notifications/notify.js';
import { moveRequestStatus } from './move-status.js';

/**
 * Moves a request along the workflow (domain/request-workflow.ts). A transition the workflow does
 * not have from the current status is refused with 400 and changes nothing.
 */
export async function transitionRequest(
  ctx: ActorContext,
  input: { site: SiteRef; issueKey: string; to: string },
): Promise<{ key: string; from: RequestStatus; status: RequestStatus; updatedAt: Date }> {
  return ctx.db.transaction().execute(async (trx) => {
    const request = await loadWorkableRequest(ctx, input.site, input.issueKey, { db: trx, forUpdate: true });
    const transition = findTransition(request.status, input.to);
    if (!transition) {
      const possible = transitionsFrom(request.status).map((t) => `'${t.to}'`);
      const msg = `${request.key} cannot move from '${request.status}' to '${input.to}'. It can move to ${possible.join(' or ')}.`;
      throw badRequest(msg, { status: msg });
    }
    const now = await moveRequestStatus(trx, ctx, { site: input.site, request, from: request.status, to: transition.to });
    await notifyRequestPeople(trx, ctx, { siteId: input.site.id, requestId: request.id, event: 'statusChanged', change: { from: request.status, to: transition.to } });
    return { key: request.key, from: request.status, status: transition.to, updatedAt: now };
  });
}
