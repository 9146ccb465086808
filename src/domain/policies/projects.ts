import { administersSite, belongsToSite, hasStandingOnSite, type Actor, type Decision, type SiteRef } from './actor.js';

/**
 * Projects and their portals. A project is worked by its agents and the site's admins; its portal
 * is used by its customers: every active customer of the site when the project is open, only the
 * customers added to it when restricted. Staff who work the project may use its portal too.
 *
 * "Added to it" (the fact `isProjectCustomer` every rule here takes) means added directly, or as a
 * member of a customer organization added to the project (db/queries/projects.ts loads it so;
 * docs/product.md#customer-organizations). Removing the organization takes it away again.
 */
export interface PortalFacts {
  id: string;
  siteId: string;
  customerAccess: 'open' | 'restricted';
}

/** Agents of a project, and admins of its site, work its requests (read everything there). */
export function canWorkProject(actor: Actor, site: SiteRef, projectId: string): boolean {
  if (actor.kind !== 'staff') return false;
  return administersSite(actor, site) || actor.roles.agentOfProjects.has(projectId);
}

/**
 * The agent workspace of one project (queue, customers, request view): its agents and the site's
 * admins. A customer of the site, or staff with another role there, may know the site exists (403);
 * anyone else gets 404.
 */
export function decideWorkProject(actor: Actor, site: SiteRef, projectId: string): Decision {
  if (canWorkProject(actor, site, projectId)) return 'allow';
  return hasStandingOnSite(actor, site) ? 'forbidden' : 'not_found';
}

/**
 * Whether the actor may use the portal of `project`: a customer acts only on their own site, staff
 * only on the sites of their organization. `isProjectCustomer`: the actor was added to the project (directly or through an organization).
 */
export function mayUsePortal(actor: Actor, site: SiteRef, project: PortalFacts, isProjectCustomer: boolean): boolean {
  if (project.siteId !== site.id || !belongsToSite(actor, site)) return false;
  if (actor.kind === 'staff') return canWorkProject(actor, site, project.id);
  return project.customerAccess === 'open' || isProjectCustomer;
}

/**
 * Whether a visitor who is not logged in may browse the portal of `project` (its page, request
 * types and articles; raising a request needs an account): only when the site's help center needs
 * no login (docs/product.md#signup), and only an open project — a restricted one is for the
 * customers added to it, who log in.
 */
export function mayVisitPortal(site: SiteRef & { loginRequired: boolean }, project: PortalFacts): boolean {
  return !site.loginRequired && project.siteId === site.id && project.customerAccess === 'open';
}

/** A portal (service desk, request type, knowledge-base article) the caller may not use does not exist for them. */
export function decidePortal(actor: Actor, site: SiteRef, project: PortalFacts | undefined, isProjectCustomer: boolean): 'allow' | 'not_found' {
  return project && mayUsePortal(actor, site, project, isProjectCustomer) ? 'allow' : 'not_found';
}

/**
 * Whether an account may be the reporter of a request in the project's portal (a reporter named by
 * an agent): staff of the site's organization, or a customer of the site who may use the portal.
 */
export function accountMayUsePortal(
  account: { kind: 'staff' | 'customer'; siteId: string | null },
  project: PortalFacts,
  facts: { isStaffOfSiteOrganization: boolean; isProjectCustomer: boolean },
): boolean {
  if (account.kind === 'staff') return facts.isStaffOfSiteOrganization;
  if (account.siteId !== project.siteId) return false;
  return project.customerAccess === 'open' || facts.isProjectCustomer;
}
