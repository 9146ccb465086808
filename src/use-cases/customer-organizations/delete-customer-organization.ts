import type { ActorContext } from '../context.js';
import { decideDeleteCustomerOrganization, type SiteRef } from '../../domain/policies.js';
import { enforce } from '../authorize.js';
import { auditOrganization, loadManagedOrganization, NOT_FOUND } from './organizations.js';

/**
 * Deletes a customer organization (the site's admins): its memberships, its place on projects and
 * the requests' shares with it go with it; the customers and their requests stay. Its members lose
 * what they had only through it (a restricted project, requests shared with it).
 */
export async function deleteCustomerOrganization(ctx: ActorContext, input: { site: SiteRef; organizationId: string }): Promise<void> {
  await ctx.db.transaction().execute(async (trx) => {
    const org = await loadManagedOrganization(trx, ctx.actor, input.site, input.organizationId, { lock: true });
    enforce(decideDeleteCustomerOrganization(ctx.actor, input.site), {
      forbidden: 'Only admins of this site can delete customer organizations.',
      notFound: NOT_FOUND(input.organizationId),
    });
    await trx.deleteFrom('customer_organizations').where('id', '=', org.id).where('site_id', '=', input.site.id).execute();
    await auditOrganization(trx, ctx, input.site, 'customer_organization.deleted', org);
  });
}
