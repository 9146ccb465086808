import type { ActorContext } from '../context.js';
import { decideManageCustomerOrganizations, type SiteRef } from '../../domain/policies.js';
import { badRequest } from '../../domain/errors.js';
import type { CustomerOrganization } from '../../db/queries/customer-organizations.js';
import { enforce } from '../authorize.js';
import { auditOrganization, MANAGE_REFUSAL, validOrganizationName } from './organizations.js';

export const nameTaken = (name: string) => {
  const msg = `An organization named '${name.slice(0, 200)}' already exists on this site.`;
  return badRequest(msg, { name: msg });
};

/**
 * Creates a customer organization (agents and admins of the site). Names are unique on a site in
 * any case (a unique index holds it under concurrent creates): a taken name is refused with 400.
 */
export async function createCustomerOrganization(ctx: ActorContext, input: { site: SiteRef; name: unknown }): Promise<CustomerOrganization> {
  enforce(decideManageCustomerOrganizations(ctx.actor, input.site), { forbidden: MANAGE_REFUSAL, notFound: 'Site not found.' });
  const name = validOrganizationName(input.name);
  return ctx.db.transaction().execute(async (trx) => {
    const row = await trx
      .insertInto('customer_organizations')
      .values({ site_id: input.site.id, name, created_by: ctx.actor.accountId })
      .onConflict((oc) => oc.doNothing()) // the one unique index besides the key: (site_id, lower(name))
      .returning(['id', 'site_id', 'name', 'created_at'])
      .executeTakeFirst();
    if (!row) throw nameTaken(name);
    const org = { id: String(row.id), siteId: row.site_id, name: row.name, createdAt: new Date(row.created_at) };
    await auditOrganization(trx, ctx, input.site, 'customer_organization.created', org);
    return org;
  });
}

