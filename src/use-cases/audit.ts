import type { Transaction } from 'kysely';
import type { Database } from '../db/schema.js';
import { appendAuditEvent } from '../db/queries/audit.js';
import type { SiteRef } from '../domain/policies.js';
import type { ActorContext } from './context.js';

/**
 * The audit event of a change the caller made on a site, in the change's transaction: who (the
 * actor, their address and browser), where (the site and its organization), what (`action` and its
 * `details`). `targetId` names an account when the change is about one; anything else goes in the
 * details.
 */
export async function auditSiteChange(
  trx: Transaction<Database>,
  ctx: ActorContext,
  site: SiteRef,
  action: string,
  details: Record<string, unknown>,
  targetId: string | null = null,
): Promise<void> {
  await appendAuditEvent(trx, {
    action,
    orgId: site.orgId,
    siteId: site.id,
    actorId: ctx.actor.accountId,
    targetId,
    ip: ctx.ip,
    userAgent: ctx.userAgent,
    details,
  });
}
