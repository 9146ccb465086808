import { administersSite, hasStandingOnSite, type Actor, type Decision, type SiteRef } from './actor.js';

/**
 * Customer organizations of a site (docs/product.md#customer-organizations): named groups of its
 * customers. The staff who serve the site's customers — its admins and the agents of any of its
 * projects — create, rename and fill them; deleting one is for the site's admins (as Jira Service
 * Management keeps it for administrators). A customer reads only the organizations they are a
 * member of. Anyone else: 404. Adding an organization to a project is managing the project's
 * customers (decideProjectCustomers).
 */
export function canManageCustomerOrganizations(actor: Actor, site: SiteRef): boolean {
  return actor.kind === 'staff' && (administersSite(actor, site) || actor.roles.agentOfSites.has(site.id));
}

/** Create, rename, add and remove members, and list every organization of the site. */
export function decideManageCustomerOrganizations(actor: Actor, site: SiteRef): Decision {
  if (canManageCustomerOrganizations(actor, site)) return 'allow';
  return hasStandingOnSite(actor, site) ? 'forbidden' : 'not_found';
}

/** Delete an organization: the site's admins (org admins and site admins). */
export function decideDeleteCustomerOrganization(actor: Actor, site: SiteRef): Decision {
  if (administersSite(actor, site)) return 'allow';
  return hasStandingOnSite(actor, site) ? 'forbidden' : 'not_found';
}

/**
 * Read one organization (its name, its members): those who manage them, and its own members. A
 * customer who is not a member gets 404, as for an id nobody has, so organizations do not leak.
 */
export function decideViewCustomerOrganization(actor: Actor, site: SiteRef, isMember: boolean): 'allow' | 'not_found' {
  if (canManageCustomerOrganizations(actor, site)) return 'allow';
  return actor.kind === 'customer' && actor.siteId === site.id && isMember ? 'allow' : 'not_found';
}

/**
 * The project's sharing setting (`CustomerSharing`) binds its customers, never staff: under
 * 'organizations' a customer shares a request only with fellow members of their customer
 * organizations, and the "Share with" picker of that portal offers only them (members search each
 * other); under 'site', any active customer of the site.
 */
export function sharingLimitedToFellowMembers(actor: Actor, sharing: 'site' | 'organizations'): boolean {
  return actor.kind === 'customer' && sharing === 'organizations';
}

