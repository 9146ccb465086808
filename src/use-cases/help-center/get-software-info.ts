import type { ActorContext } from '../context.js';
import { decideSiteStanding, type SiteRef } from '../../domain/policies.js';
import { enforce } from '../authorize.js';

/**
 * GET /rest/servicedeskapi/info (docs/product.md#rest-info): what the server is, for anyone signed in
 * on the site — a version is no business of strangers (another organization's people get 404, as for
 * every site-wide read), and a revoked customer is signed out like everywhere else.
 */
export function getSoftwareInfo<T>(ctx: ActorContext, input: { site: SiteRef; build: T }): T {
  enforce(decideSiteStanding(ctx.actor, input.site), { notFound: 'Not found.' });
  return input.build;
}
