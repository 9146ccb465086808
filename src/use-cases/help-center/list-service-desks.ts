import { notFound } from '../../domain/errors.js';
import { hasStandingOnSite, type SiteRef } from '../../domain/policies.js';
import type { UseCaseContext } from '../context.js';
import { listVisibleServiceDesks, requireActor, type ServiceDeskPage } from './get-service-desk.js';

/** GET /servicedesk: the service desks of the site the caller may use or work, paged by key. */
export async function listServiceDesks(ctx: UseCaseContext, input: { site: SiteRef; start: number; limit: number }): Promise<ServiceDeskPage> {
  const actor = requireActor(ctx);
  // another organization's or site's people learn nothing about this site, not even an empty list
  if (!hasStandingOnSite(actor, input.site)) throw notFound('Site not found.');
  return listVisibleServiceDesks(ctx.db, actor, input.site, input.start, input.limit);
}
