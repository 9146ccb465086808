import type { ActorContext } from '../context.js';
import { canManageCustomerOrganizations, decideSiteStanding, type SiteRef } from '../../domain/policies.js';
import { badRequest } from '../../domain/errors.js';
import { listCustomerOrganizations as queryOrganizations, type CustomerOrganization } from '../../db/queries/customer-organizations.js';
import { pageOffset } from '../../domain/limits.js';
import { enforce } from '../authorize.js';

export const ORGANIZATIONS_MAX_LIMIT = 100;

export interface OrganizationsPage {
  start: number;
  limit: number;
  isLastPage: boolean;
  values: Array<CustomerOrganization & { memberCount: number }>;
}

export function pageLimit(limit: number | undefined, max = ORGANIZATIONS_MAX_LIMIT): number {
  return Math.max(1, Math.min(max, Math.floor(limit ?? 50)));
}

/**
 * The customer organizations of a site, by name. Agents and admins of the site see all of them
 * (`accountId` narrows to one customer's); a customer of the site sees only their own. Anyone
 * without standing on the site: 404.
 */
export async function listCustomerOrganizations(
  ctx: ActorContext,
  input: { site: SiteRef; accountId?: string; query?: string; start?: number; limit?: number },
): Promise<OrganizationsPage> {
  const actor = ctx.actor;
  enforce(decideSiteStanding(actor, input.site), { notFound: 'Site not found.' });
  const start = pageOffset(input.start);
  const limit = pageLimit(input.limit);
  let memberId = input.accountId?.trim() || undefined;
  if (memberId !== undefined && memberId.length > 128) throw badRequest("'accountId' is not an account id.", { accountId: "'accountId' is not an account id." });
  if (!canManageCustomerOrganizations(actor, input.site)) {
    if (actor.kind !== 'customer') return { start, limit, isLastPage: true, values: [] };
    memberId = actor.accountId; // a customer reads their own organizations only
  }
  const page = await queryOrganizations(ctx.db, { siteId: input.site.id, memberId, query: input.query, start, limit });
  return { start, limit, ...page };
}
