import { hasStandingOnSite, type Actor, type Decision, type SiteRef, type StaffActor } from './actor.js';

/**
 * Site-wide agent tools (the issue search page, saved filters, the filter's user autocomplete):
 * staff who are an agent of some project on the site or administer it. Customers of the site: 403;
 * others 404.
 */
export function decideAgentWorkspace(actor: Actor, site: SiteRef): Decision {
  if (actor.kind === 'staff' && hasStandingOnSite(actor, site)) return 'allow';
  return hasStandingOnSite(actor, site) ? 'forbidden' : 'not_found';
}

/** A saved filter is its owner's alone: anyone else's filter does not exist for them (404). */
export function decideSavedFilter(actor: StaffActor, filter: { ownerId: string } | undefined): 'allow' | 'not_found' {
  return filter && filter.ownerId === actor.accountId ? 'allow' : 'not_found';
}
