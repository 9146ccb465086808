/**
 * Who is acting, and what they are to a site: the facts every policy of this folder starts from.
 * The caller's roles are read with the caller (db/queries/caller.ts) and the target site, and asks.
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

export type StaffActor = { kind: 'staff'; accountId: string; roles: StaffRoles };
export type CustomerActor = { kind: 'customer'; accountId: string; siteId: string };
export type Actor = StaffActor | CustomerActor;

/**
 * Every policy answers with one of these: go on, or refuse — as 403 when the actor may know the
 * target exists, as 404 when it must not exist for them (another organization's or site's).
 */
export type Decision = 'allow' | 'forbidden' | 'not_found';

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

/** Someone with any standing on the site may learn that things there exist. */
export function hasStandingOnSite(actor: Actor, site: SiteRef): boolean {
  if (actor.kind === 'customer') return actor.siteId === site.id;
  return administersSite(actor, site) || actor.roles.agentOfSites.has(site.id);
}

/**
 * Site-wide lists and searches (service desks, issue search, people search, the pickers): another
 * organization's or site's people learn nothing about the site, not even an empty list (404).
 */
export function decideSiteStanding(actor: Actor, site: SiteRef): 'allow' | 'not_found' {
  return hasStandingOnSite(actor, site) ? 'allow' : 'not_found';
}
