import type { ActorContext } from '../context.js';
import type { SiteRef } from '../../domain/policies.js';
import { listRequestOrganizations, type CustomerOrganization } from '../../db/queries/customer-organizations.js';
import { loadVisibleRequest } from '../requests/visible-request.js';

/** The organizations a request is shared with, for anyone who sees the request (else 404). */
export async function listRequestOrganizationsFor(ctx: ActorContext, input: { site: SiteRef; requestKeyOrId: string }): Promise<CustomerOrganization[]> {
  const request = await loadVisibleRequest(ctx.db, ctx.actor, input.site, input.requestKeyOrId);
  return listRequestOrganizations(ctx.db, request.id);
}
