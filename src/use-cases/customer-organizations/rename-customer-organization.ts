import type { ActorContext } from '../context.js';
import type { SiteRef } from '../../domain/policies.js';
import { findOrganizationByName, type CustomerOrganization } from '../../db/queries/customer-organizations.js';
import { nameTaken } from './create-customer-organization.js';
import { auditOrganization, loadManagedOrganization, validOrganizationName } from './organizations.js';

/** Renames a customer organization (agents and admins of the site); the name rules of "create". */
export async function renameCustomerOrganization(ctx: ActorContext, input: { site: SiteRef; organizationId: string; name: unknown }): Promise<CustomerOrganization> {
  const name = validOrganizationName(input.name);
  await loadManagedOrganization(ctx.db, ctx.actor, input.site, input.organizationId);
  return ctx.db.transaction().execute(async (trx) => {
    const org = await loadManagedOrganization(trx, ctx.actor, input.site, input.organizationId, { lock: true });
    if (org.name === name) return org;
    if (await findOrganizationByName(trx, input.site.id, name, org.id)) throw nameTaken(name);
    const updated = await trx
      .updateTable('customer_organizations')
      .set({ name })
      .where('id', '=', org.id)
      .where('site_id', '=', input.site.id)
      .returning(['id', 'site_id', 'name', 'created_at'])
      .executeTakeFirst()
      .catch((error: unknown) => {
        // a concurrent create or rename took the name between the check and the update
        if ((error as { code?: string }).code === '23505') throw nameTaken(name);
        throw error;
      });
    await auditOrganization(trx, ctx, input.site, 'customer_organization.renamed', { id: org.id, name }, { details: { previousName: org.name } });
    return { ...org, name: updated!.name };
  });
}
