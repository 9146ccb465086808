import type { ActorContext } from '../context.js';
import type { SiteRef } from '../../domain/policies.js';
import type { CustomerOrganization } from '../../db/queries/customer-organizations.js';
import { loadViewableOrganization } from './organizations.js';

/** One customer organization: for agents and admins of the site, and for its members; else 404. */
export async function getCustomerOrganization(ctx: ActorContext, input: { site: SiteRef; organizationId: string }): Promise<CustomerOrganization> {
  return loadViewableOrganization(ctx.db, ctx.actor, input.site, input.organizationId);
}
