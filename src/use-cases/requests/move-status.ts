import type { Transaction } from 'kysely';
import { appendRequestHistory } from '../../db/queries/request-history.js';
import type { Database, RequestStatus } from '../../db/schema.js';
import type { SiteRef } from '../../domain/policies.js';
import { statusAfterReply } from '../../domain/request-workflow.js';
import type { ActorContext } from '../context.js';
import { auditSiteChange } from '../audit.js';

/**
 * Writes a request's new status in the caller's transaction, with its audit event
 * (`request.transitioned`: who, from, to, and `automatic: true` when a reply moved it) and its line
 * in the request's history (docs/product.md#history).
 */
export async function moveRequestStatus(
  trx: Transaction<Database>,
  ctx: ActorContext,
  move: { site: SiteRef; request: { id: string; key: string }; from: RequestStatus; to: RequestStatus; automatic?: boolean },
): Promise<Date> {
  const now = new Date();
  await trx.updateTable('requests').set({ status: move.to, status_changed_at: now, updated_at: now }).where('id', '=', move.request.id).execute();
  await appendRequestHistory(trx, [{
    siteId: move.site.id,
    requestId: move.request.id,
    actorId: ctx.actor.accountId,
    field: 'status',
    fieldName: 'Status',
    change: 'changed',
    from: move.from,
    to: move.to,
    at: now,
  }]);
  await auditSiteChange(trx, ctx, move.site, 'request.transitioned', { issueKey: move.request.key, from: move.from, to: move.to, ...(move.automatic ? { automatic: true } : {}) });
  return now;
}

/**
 * After a public reply, in its transaction: the conversation moves along (docs/product.md#workflow,
 * statusAfterReply) — support's reply hands the request to the customer, the customer's hands it
 * back and reopens it if it was resolved within the reopen window. The help center, the agent view
 * and replies by mail all go through here.
 */
export async function moveAfterPublicReply(
  trx: Transaction<Database>,
  ctx: ActorContext,
  reply: { site: SiteRef; request: { id: string; key: string }; by: 'support' | 'customer' },
): Promise<void> {
  const current = await trx.selectFrom('requests').select(['status', 'status_changed_at']).where('id', '=', reply.request.id).forUpdate().executeTakeFirstOrThrow();
  const next = statusAfterReply({ status: current.status, statusChangedAt: new Date(current.status_changed_at) }, reply.by, {
    now: new Date(),
    reopenWindowDays: ctx.config.reopenWindowDays,
  });
  if (next) await moveRequestStatus(trx, ctx, { site: reply.site, request: reply.request, from: current.status, to: next, automatic: true });
}
