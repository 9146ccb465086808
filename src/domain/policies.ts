/**
 * Who may do what (docs/architecture.md, "Who may do what"), in one place. Pure: the caller loads the actor's roles
 * (db/queries/roles.ts) and the target site, and asks. Every denial says whether the actor may
 * know the target exists (403) or not (404: another organization's or another site's admin).
 */
export interface SiteRef {
  id: string;
  orgId: string;
}

export interface StaffRoles {
  orgAdminOf: ReadonlySet<string>; // organization ids
  siteAdminOf: ReadonlySet<string>; // site ids
  agentOfSites: ReadonlySet<string>; // site ids where the account is an agent of some project
  agentOfProjects: ReadonlySet<string>; // project ids
  /** organizations the account is staff of: it administers the org, one of its sites, or agents one of its projects */
  memberOfOrgs: ReadonlySet<string>;
}

export type Actor =
  | { kind: 'staff'; accountId: string; roles: StaffRoles }
  | { kind: 'customer'; accountId: string; siteId: string };

export type Decision = 'allow' | 'forbidden' | 'not_found';

export type CustomerAdminAction =
  | 'list'
  | 'revoke'
  | 'grant'
  | 'change_password'
  | 'edit_name'
  | 'delete';

export function isOrgAdminOf(actor: Actor, orgId: string): boolean {
  return actor.kind === 'staff' && actor.roles.orgAdminOf.has(orgId);
}

/** Org admin of the site's organization, or site admin of the site. */
export function administersSite(actor: Actor, site: SiteRef): boolean {
  return actor.kind === 'staff' && (actor.roles.orgAdminOf.has(site.orgId) || actor.roles.siteAdminOf.has(site.id));
}

/**
 * The staff of an organization: its org admins, the site admins of its sites and the agents of its
 * projects. Everyone else — the staff of other organizations included — is a stranger to it: they
 * cannot be named, picked, found or shown there, and read nothing of it.
 */
export function isStaffOfOrganization(actor: Actor, orgId: string): boolean {
  return actor.kind === 'staff' && actor.roles.memberOfOrgs.has(orgId);
}

/**
 * Whether the actor is one of the site's people at all: a customer of this site, or staff of its
 * organization. Being named on a request (reporter, participant) lets only such people read it.
 */
export function belongsToSite(actor: Actor, site: SiteRef): boolean {
  return actor.kind === 'customer' ? actor.siteId === site.id : isStaffOfOrganization(actor, site.orgId);
}

/**
 * Emails are shown to staff (who only ever reach people of the sites they work on) and to the
 * person themselves; a customer sees other people by name only.
 */
export function mayReadEmailOf(viewer: Actor, accountId: string): boolean {
  return viewer.kind === 'staff' || viewer.accountId === accountId;
}

/** Someone with any standing on the site may learn that things there exist. */
export function hasStandingOnSite(actor: Actor, site: SiteRef): boolean {
  if (actor.kind === 'customer') return actor.siteId === site.id;
  return administersSite(actor, site) || actor.roles.agentOfSites.has(site.id);
}

export function decideCustomerAdmin(actor: Actor, site: SiteRef, action: CustomerAdminAction): Decision {
  const allowed = action === 'delete' ? isOrgAdminOf(actor, site.orgId) : administersSite(actor, site);
  if (allowed) return 'allow';
  return hasStandingOnSite(actor, site) ? 'forbidden' : 'not_found';
}

/** Agents of a project, and admins of its site, work its requests (read everything there). */
export function canWorkProject(actor: Actor, site: SiteRef, projectId: string): boolean {
  if (actor.kind !== 'staff') return false;
  return administersSite(actor, site) || actor.roles.agentOfProjects.has(projectId);
}

/** Creating customers: an admin of the site or an agent of some project on it. */
export function canCreateCustomers(actor: Actor, site: SiteRef): boolean {
  return actor.kind === 'staff' && (administersSite(actor, site) || actor.roles.agentOfSites.has(site.id));
}

export function canAdministerOrganization(actor: Actor, orgId: string): boolean {
  return isOrgAdminOf(actor, orgId);
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
 * Site-wide agent tools (issue search, saved filters, the filter's user autocomplete): staff who
 * are an agent of some project on the site or administer it. Customers of the site: 403; others 404.
 */
export function decideAgentWorkspace(actor: Actor, site: SiteRef): Decision {
  if (actor.kind === 'staff' && hasStandingOnSite(actor, site)) return 'allow';
  return hasStandingOnSite(actor, site) ? 'forbidden' : 'not_found';
}
