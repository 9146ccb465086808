import { administersSite, hasStandingOnSite, type Actor, type Decision, type SiteRef } from './actor.js';

/**
 * Access reviews of a site's customers (docs/product.md#access-reviews): its org admins and site
 * admins start, read, complete and cancel them; deciding is for the review's reviewers when it has
 * some (each an admin of the site), else for any admin of the site. Someone with standing on the
 * site gets 403, anyone else 404.
 */
export type AccessReviewAction = 'read' | 'start' | 'decide' | 'complete' | 'cancel';

export function decideAccessReview(actor: Actor, site: SiteRef, action: AccessReviewAction, reviewers: ReadonlySet<string> = new Set()): Decision {
  if (!administersSite(actor, site)) return hasStandingOnSite(actor, site) ? 'forbidden' : 'not_found';
  if (action === 'decide' && reviewers.size > 0 && !reviewers.has(actor.accountId)) return 'forbidden';
  return 'allow';
}

