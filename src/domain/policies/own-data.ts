import { administersSite, hasStandingOnSite, type Actor, type Decision, type SiteRef } from './actor.js';

/**
 * A customer's own data (docs/product.md#own-data): the export and the erasure request of an
 * account are its owner's alone — a customer of the site naming anyone else's id learns nothing
 * (404, as for an id that does not exist), staff of the site get 403, anyone else 404.
 */
export function decideOwnData(actor: Actor, site: SiteRef, accountId: string): Decision {
  if (actor.kind === 'customer' && actor.siteId === site.id && actor.accountId === accountId) return 'allow';
  if (actor.kind === 'customer') return 'not_found';
  return hasStandingOnSite(actor, site) ? 'forbidden' : 'not_found';
}

/**
 * Deciding a customer's erasure request: the site's admins (org admins of its organization, its site
 * admins). The customer asked, so a site admin may approve what they could not start: an erasure
 * approved is the organization admins' delete (policies/customers.ts), run on the customer's word.
 */
export function decideErasureReview(actor: Actor, site: SiteRef): Decision {
  if (administersSite(actor, site)) return 'allow';
  return hasStandingOnSite(actor, site) ? 'forbidden' : 'not_found';
}
