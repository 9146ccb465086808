import type { ActorContext } from '../context.js';
import { decideRemoveParticipants, type SiteRef } from '../../domain/policies.js';
import { badRequest } from '../../domain/errors.js';
import type { AccountRef } from '../../db/queries/accounts.js';
import { touchRequest, type RequestRow } from '../../db/queries/requests.js';
import { listParticipants } from '../../db/queries/request-detail.js';
import { appendRequestHistory } from '../../db/queries/request-history.js';
import { enforce } from '../authorize.js';
import { parseParticipantIds } from './participant-ids.js';
import { assertActorStillActive, loadVisibleRequest } from './visible-request.js';

/**
 * Removes request participants. Agents of the project and admins may remove anyone; the reporter
 * may remove anyone they shared with; a participant may remove only themselves. The reporter is
 * never a removable participant (400), nor is someone who is not a participant (400).
 */
export async function removeRequestParticipants(
  ctx: ActorContext,
  input: { site: SiteRef; key: string; accountIds: unknown },
): Promise<{ request: RequestRow; removed: string[]; participants: AccountRef[] }> {
  const actor = ctx.actor;
  const request = await loadVisibleRequest(ctx.db, actor, input.site, input.key);
  const ids = parseParticipantIds(input.accountIds, 'accountIds');
  if (ids.length === 0) throw badRequest(`'accountIds' must name at least one participant.`, { accountIds: `'accountIds' must name at least one participant.` });
  if (ids.includes(request.reporterId)) throw badRequest('The reporter cannot be removed from the request.', { accountIds: 'The reporter cannot be removed from the request.' });
  enforce(decideRemoveParticipants(actor, input.site, request, ids), { forbidden: 'You can only remove yourself from this request.' });

  await ctx.db.transaction().execute(async (trx) => {
    await assertActorStillActive(trx, actor);
    const existing = new Set(
      (await trx.selectFrom('request_participants').select('account_id').where('request_id', '=', request.id).where('account_id', 'in', ids).execute()).map((r) => r.account_id),
    );
    const missing = ids.find((id) => !existing.has(id));
    if (missing) {
      const msg = `The user '${missing.slice(0, 128)}' is not a participant of ${request.key}.`;
      throw badRequest(msg, { accountIds: msg });
    }
    const before = (
      await trx.selectFrom('request_participants').select('account_id').where('request_id', '=', request.id).orderBy('added_at').orderBy('account_id').execute()
    ).map((r) => r.account_id);
    await trx.deleteFrom('request_participants').where('request_id', '=', request.id).where('account_id', 'in', ids).execute();
    await touchRequest(trx, request.id);
    await appendRequestHistory(trx, [{
      siteId: input.site.id, requestId: request.id, actorId: actor.accountId,
      field: 'participants', fieldName: 'Request participants', change: 'changed', from: before, to: before.filter((id) => !ids.includes(id)),
    }]);
  });
  return { request, removed: ids, participants: await listParticipants(ctx.db, request.id) };
}
