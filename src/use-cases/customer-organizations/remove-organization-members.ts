import type { ActorContext } from '../context.js';
import type { SiteRef } from '../../domain/policies.js';
import { checkAccountIdList } from '../customers/project-customers.js';
import { auditOrganization, loadManagedOrganization } from './organizations.js';

/**
 * Removes people from an organization (agents and admins), up to 1,000 at once; ids that are not
 * members are ignored. A revoked member can be removed like any other. Returns the ids removed.
 */
export async function removeOrganizationMembers(ctx: ActorContext, input: { site: SiteRef; organizationId: string; accountIds: string[] }): Promise<{ removed: string[] }> {
  await loadManagedOrganization(ctx.db, ctx.actor, input.site, input.organizationId);
  const ids = checkAccountIdList(input.accountIds);
  return ctx.db.transaction().execute(async (trx) => {
    const org = await loadManagedOrganization(trx, ctx.actor, input.site, input.organizationId, { lock: true });
    const deleted = await trx
      .deleteFrom('customer_organization_members')
      .where('organization_id', '=', org.id)
      .where('account_id', 'in', ids)
      .returning('account_id')
      .execute();
    const removed = deleted.map((r) => r.account_id);
    for (const accountId of removed) await auditOrganization(trx, ctx, input.site, 'customer_organization.member.removed', org, { targetId: accountId });
    return { removed };
  });
}
