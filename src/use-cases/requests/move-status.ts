import type { Transaction } from 'kysely';
import { appendAuditEvent } from '../../db/queries/audit.js';
import type { Database, RequestStatus } from '../../db/schema.js';
import type { SiteRef } from '../../domain/policies.js';
import type { ActorContext } from '../context.js';

/**
 * Writes a request's new status in the caller's transaction, with its audit event
 * (`request.transitioned`: who, from, to, and `automatic: true` when a reply moved it).
 */
export async function moveRequestStatus(
  trx: Transaction<Database>,
  ctx: ActorContext,
  move: { site: SiteRef; request: { id: string; key: string }; from: RequestStatus; to: RequestStatus; automatic?: boolean },
): Promise<Date> {
  const now = new Date();
  await trx.updateTable('requests').set({ status: move.to, status_changed_at: now, updated_at: now }).where('id', '=', move.request.id).execute();
  await appendAuditEvent(trx, {
    action: 'request.transitioned',
    orgId: move.site.orgId,
    siteId: move.site.id,
    actorId: ctx.actor.accountId,
    targetId: null,
    ip: ctx.ip,
    userAgent: ctx.userAgent,
    details: { issueKey: move.request.key, from: move.from, to: move.to, ...(move.automatic ? { automatic: true } : {}) },
  });
  return now;
}
