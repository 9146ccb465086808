import type { ActorContext } from '../context.js';
import { accessFootprints } from '../../db/queries/access-footprint.js';
import { enforce } from '../authorize.js';
import { decideCustomerTarget } from '../../domain/policies/customers.js';
import type { AccessFootprint } from '../../domain/access-footprint.js';
import { authorizeCustomerAction } from '../customers/customer-admin.js';

/**
 * What revoking one customer would touch, for the revoke dialog and REST
 * (`GET /s/{site}/rest/portico/1/customer/{accountId}/access-footprint`; docs/product.md#footprint).
 * Whoever may revoke the customer may see it (the site's org admins and site admins); a deleted
 * customer, an unknown id or a customer of another site is a 404, as for the revoke itself. A
 * revoked customer has a footprint too (what a grant brings back into view).
 */
export async function getAccessFootprint(ctx: ActorContext, input: { siteSlug: string; accountId: string }): Promise<AccessFootprint> {
  const site = await authorizeCustomerAction(ctx, input, 'revoke');
  const found = (await accessFootprints(ctx.db, site.id, [input.accountId])).get(input.accountId);
  enforce(decideCustomerTarget(found), { notFound: 'Customer not found.' });
  return found!.footprint;
}
