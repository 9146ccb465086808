import type { ActorContext } from '../context.js';
import type { SiteRef } from '../../domain/policies.js';
import { assertPickable, lockNamedPeople } from '../../db/queries/pickable.js';
import { checkAccountIdList } from '../customers/project-customers.js';
import { auditOrganization, loadManagedOrganization } from './organizations.js';

/**
 * Adds customers of the site to an organization (agents and admins), up to 1,000 at once, all or
 * nothing: every id must be an ACTIVE customer of the site (a revoked one cannot be newly added, an
 * unknown one or another site's is "does not exist": 400, nothing added). Members already in it are
 * skipped. The people are locked as every write naming people locks them (lockNamedPeople), so an
 * add racing a revoke either commits first or is refused.
 */
export async function addOrganizationMembers(ctx: ActorContext, input: { site: SiteRef; organizationId: string; accountIds: string[] }): Promise<{ added: string[] }> {
  await loadManagedOrganization(ctx.db, ctx.actor, input.site, input.organizationId);
  const ids = checkAccountIdList(input.accountIds);
  return ctx.db.transaction().execute(async (trx) => {
    const org = await loadManagedOrganization(trx, ctx.actor, input.site, input.organizationId, { lock: true });
    await lockNamedPeople(trx, ids);
    await assertPickable(trx, { siteId: input.site.id, accountIds: ids, fieldName: 'Organization members', errorKey: 'accountIds', allowStaff: false });
    const inserted = await trx
      .insertInto('customer_organization_members')
      .values(ids.map((accountId) => ({ site_id: input.site.id, organization_id: org.id, account_id: accountId })))
      .onConflict((oc) => oc.columns(['organization_id', 'account_id']).doNothing())
      .returning('account_id')
      .execute();
    const added = inserted.map((r) => r.account_id);
    for (const accountId of added) await auditOrganization(trx, ctx, input.site, 'customer_organization.member.added', org, { targetId: accountId });
    return { added };
  });
}
