import type { ActorContext } from '../context.js';
import type { UserManagement } from '../../db/schema.js';
import { appendAuditEvent } from '../../db/queries/audit.js';
import { badRequest, notFound } from '../../domain/errors.js';
import { authorizeOrgAdmin, orgOverview, type AdminOrg } from './org-admin.js';

/**
 * An org admin switches the organization between the original and centralized user-management
 * experiences (docs/product.md#tenancy). Only where the admin console leads changes; no account is touched.
 * Audit `organization.user_management.changed` with from/to; switching to the current value changes
 * nothing and writes no event.
 */
export async function switchUserManagement(
  ctx: ActorContext,
  input: { orgId: string; userManagement: string },
): Promise<AdminOrg & { changed: boolean }> {
  await authorizeOrgAdmin(ctx, input.orgId);
  const to = input.userManagement;
  if (to !== 'original' && to !== 'centralized') {
    const m = "'userManagement' must be 'original' or 'centralized'.";
    throw badRequest(m, { userManagement: m });
  }
  const result = await ctx.db.transaction().execute(async (trx) => {
    const org = await trx
      .selectFrom('organizations')
      .select(['id', 'name', 'user_management'])
      .where('id', '=', input.orgId)
      .forUpdate()
      .executeTakeFirst();
    if (!org) throw notFound('Organization not found.');
    if (org.user_management === to) return { org: { id: org.id, name: org.name, userManagement: to as UserManagement }, changed: false };
    await trx.updateTable('organizations').set({ user_management: to }).where('id', '=', org.id).execute();
    await appendAuditEvent(trx, {
      action: 'organization.user_management.changed',
      orgId: org.id,
      siteId: null,
      actorId: ctx.actor.accountId,
      targetId: null,
      ip: ctx.ip,
      userAgent: ctx.userAgent,
      details: { from: org.user_management, to },
    });
    return { org: { id: org.id, name: org.name, userManagement: to as UserManagement }, changed: true };
  });
  return { ...(await orgOverview(ctx.db, ctx.origin, result.org)), changed: result.changed };
}
