import { decideSiteStanding, type SiteRef } from '../../domain/policies.js';
import { enforce } from '../authorize.js';
import type { ActorContext } from '../context.js';
import { listUsablePortals, toServiceDesk, type ServiceDesk } from './portals.js';

export interface ServiceDeskPage {
  start: number;
  limit: number;
  isLastPage: boolean;
  values: ServiceDesk[];
}

/** GET /servicedesk: the service desks of the site the caller may use or work, paged by key. */
export async function listServiceDesks(ctx: ActorContext, input: { site: SiteRef; start: number; limit: number }): Promise<ServiceDeskPage> {
  enforce(decideSiteStanding(ctx.actor, input.site), { notFound: 'Site not found.' });
  // a site has a handful of projects: sort and page them in memory
  const all = (await listUsablePortals(ctx.db, ctx.actor, input.site)).sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  const { start, limit } = input;
  return { start, limit, isLastPage: start + limit >= all.length, values: all.slice(start, start + limit).map(toServiceDesk) };
}
