import type { ActorContext } from '../context.js';
import type { SiteRef } from '../../domain/policies.js';
import type { AccountView } from '../../db/queries/accounts.js';
import { listOrganizationMembers as queryMembers, type CustomerOrganization } from '../../db/queries/customer-organizations.js';
import { pageOffset } from '../../domain/limits.js';
import { pageLimit } from './list-customer-organizations.js';
import { loadViewableOrganization } from './organizations.js';

/**
 * The members of a customer organization by name, for agents and admins of the site and for its
 * members (who see each other by name only: emails follow policies.mayReadEmailOf). Revoked
 * members are listed, and shown "(Deactivated)" by the presenters.
 */
export async function listOrganizationMembers(
  ctx: ActorContext,
  input: { site: SiteRef; organizationId: string; start?: number; limit?: number },
): Promise<{ organization: CustomerOrganization; start: number; limit: number; isLastPage: boolean; values: AccountView[] }> {
  const organization = await loadViewableOrganization(ctx.db, ctx.actor, input.site, input.organizationId);
  const start = pageOffset(input.start);
  const limit = pageLimit(input.limit);
  const page = await queryMembers(ctx.db, organization.id, start, limit);
  return { organization, start, limit, ...page };
}
