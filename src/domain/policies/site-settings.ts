import { administersSite, hasStandingOnSite, type Actor, type Decision, type SiteRef } from './actor.js';

/**
 * A site's settings in the admin console (today: its notification mail template): the org admins of
 * its organization and its site admins. Someone else with standing on the site gets 403, anyone else 404.
 */
export function decideSiteSettings(actor: Actor, site: SiteRef): Decision {
  if (administersSite(actor, site)) return 'allow';
  return hasStandingOnSite(actor, site) ? 'forbidden' : 'not_found';
}
