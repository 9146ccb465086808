import { CUSTOMER_SHARING_LEVELS, type CustomerSharing } from '../requests.js';
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

/** The circles of people a customer may find and share with, by the project's sharing setting. */
export interface SharingCircles {
  /** the reporter and participants of the request at hand (none while raising one) */
  request: boolean;
  /** fellow members of the customer's customer organizations */
  organizations: boolean;
  /** the project's customers and the members of the organizations added to it */
  project: boolean;
}

/**
 * The project's sharing setting (`CustomerSharing`) binds its customers, never staff (null: not
 * bound). Each level includes the one before; no level reaches the whole site's customer list
 * (docs/product.md#customer-sharing).
 */
export function sharingCirclesFor(actor: Actor, sharing: CustomerSharing): SharingCircles | null {
  if (actor.kind !== 'customer') return null;
  const rank = CUSTOMER_SHARING_LEVELS.indexOf(sharing);
  return { request: rank >= 1, organizations: rank >= 2, project: rank >= 3 };
}

