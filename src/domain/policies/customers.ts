import { administersSite, hasStandingOnSite, isOrgAdminOf, type Actor, type Decision, type SiteRef } from './actor.js';
import { canWorkProject } from './projects.js';

/**
 * Portal-only customers: who administers them in the admin console, who creates them, who manages
 * a project's customer list.
 */
export type CustomerAdminAction = 'list' | 'import' | 'revoke' | 'grant' | 'change_password' | 'edit_name' | 'change_email' | 'delete';

/**
 * The admin console's customer actions: org admins of the site's organization everything, site
 * admins everything but delete. Someone with standing on the site gets 403, anyone else 404.
 */
export function decideCustomerAdmin(actor: Actor, site: SiteRef, action: CustomerAdminAction): Decision {
  const allowed = action === 'delete' ? isOrgAdminOf(actor, site.orgId) : administersSite(actor, site);
  if (allowed) return 'allow';
  return hasStandingOnSite(actor, site) ? 'forbidden' : 'not_found';
}

/** Whether the admin page offers "Delete" (org admins only). */
export function mayDeleteCustomers(actor: Actor, site: SiteRef): boolean {
  return decideCustomerAdmin(actor, site, 'delete') === 'allow';
}

/**
 * The customer an admin action names: a customer of another site, a staff account (neither is
 * passed here) or a deleted account is "not found" to the admin of this site.
 */
export function decideCustomerTarget(customer: { status: 'active' | 'revoked' | 'deleted' } | undefined): 'allow' | 'not_found' {
  return customer && customer.status !== 'deleted' ? 'allow' : 'not_found';
}

/** Creating customers: an admin of the site or an agent of some project on it. */
export function canCreateCustomers(actor: Actor, site: SiteRef): boolean {
  return actor.kind === 'staff' && (administersSite(actor, site) || actor.roles.agentOfSites.has(site.id));
}

export function decideCreateCustomer(actor: Actor, site: SiteRef): Decision {
  if (canCreateCustomers(actor, site)) return 'allow';
  return hasStandingOnSite(actor, site) ? 'forbidden' : 'not_found';
}

/**
 * A service project's customer list (list, add, remove): its agents and the site's admins. Asked
 * once the caller may see the service desk at all, so a refusal here is a 403.
 */
export function decideProjectCustomers(actor: Actor, site: SiteRef, projectId: string): 'allow' | 'forbidden' {
  return canWorkProject(actor, site, projectId) ? 'allow' : 'forbidden';
}
