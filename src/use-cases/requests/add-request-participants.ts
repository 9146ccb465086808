import type { ActorContext } from '../context.js';
import type { SiteRef } from '../../domain/policies.js';
import { assertPickable, lockNamedPeople } from '../../db/queries/pickable.js';
import type { AccountRef } from '../../db/queries/accounts.js';
import { touchRequest, type RequestRow } from '../../db/queries/requests.js';
import { listParticipants } from '../../db/queries/request-detail.js';
import { appendRequestHistory } from '../../db/queries/request-history.js';
import { parseParticipantIds } from './participant-ids.js';
import { findProject } from '../../db/queries/projects.js';
import { assertSharingAllows } from '../customer-organizations/sharing-rule.js';
import { assertActorStillActive, loadVisibleRequest } from './visible-request.js';
import { notifyRequestPeople } from '../notifications/notify.js';

/**
 * Shares a request with more people (help-center "Share", agent "Request participants", REST POST
 * participant). Anyone who may see the request may share it. Only NEW participants are checked:
 * a revoked, deleted or unknown account is refused with 400; people already on the request (and the
 * reporter) are left as they are. The people are read under a row lock, so an add racing a revoke
 * either commits before the revoke or is refused after it.
 */
export async function addRequestParticipants(
  ctx: ActorContext,
  input: { site: SiteRef; key: string; accountIds: unknown },
): Promise<{ request: RequestRow; added: AccountRef[]; participants: AccountRef[] }> {
  const actor = ctx.actor;
  const request = await loadVisibleRequest(ctx.db, actor, input.site, input.key);
  const ids = parseParticipantIds(input.accountIds, 'accountIds');
  const addedIds = await ctx.db.transaction().execute(async (trx) => {
    await lockNamedPeople(trx, [actor.accountId, ...ids]);
    await assertActorStillActive(trx, actor);
    const existing = new Set(
      (await trx.selectFrom('request_participants').select('account_id').where('request_id', '=', request.id).execute()).map((r) => r.account_id),
    );
    const fresh = ids.filter((id) => id !== request.reporterId && !existing.has(id));
    await assertPickable(trx, { siteId: input.site.id, accountIds: fresh, fieldName: 'Request participants', errorKey: 'accountIds', allowStaff: actor.kind === 'staff' });
    if (fresh.length === 0) return [];
    const project = await findProject(trx, input.site.id, request.projectId);
    if (project) await assertSharingAllows(trx, actor, project, request.id, fresh, 'accountIds');
    await trx
      .insertInto('request_participants')
      .values(fresh.map((accountId) => ({ site_id: input.site.id, request_id: request.id, account_id: accountId })))
      .onConflict((oc) => oc.doNothing())
      .execute();
    await touchRequest(trx, request.id);
    const before = [...existing];
    await appendRequestHistory(trx, [{
      siteId: input.site.id, requestId: request.id, actorId: actor.accountId,
      field: 'participants', fieldName: 'Request participants', change: 'changed', from: before, to: [...before, ...fresh],
    }]);
    await notifyRequestPeople(trx, ctx, { siteId: input.site.id, requestId: request.id, event: 'shared', recipients: fresh });
    return fresh;
  });
  const participants = await listParticipants(ctx.db, request.id);
  return { request, added: participants.filter((p) => addedIds.includes(p.accountId)), participants };
}
