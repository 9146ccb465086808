import type { SiteRef } from '../../domain/policies.js';
import type { ActorContext } from '../context.js';
import { resolveServiceDesk, type ServiceDesk } from './portals.js';

export type { ServiceDesk };

/** GET /servicedesk/{id}: one service desk the actor may see (404 otherwise, also across sites). */
export async function getServiceDesk(ctx: ActorContext, input: { site: SiteRef; serviceDeskId: string }): Promise<ServiceDesk> {
  return resolveServiceDesk(ctx.db, ctx.actor, input.site, input.serviceDeskId);
}
