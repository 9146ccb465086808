import type { SiteRef } from '../../domain/policies.js';
import { listRequestTypeGroups as queryGroups, type RequestTypeGroup } from '../../db/queries/request-types.js';
import type { ActorContext } from '../context.js';
import { resolveServiceDesk, type ServiceDesk } from './portals.js';

export type { RequestTypeGroup };

/** GET …/servicedesk/{id}/requesttypegroup: the desk's request-type groups in tab order, paged. */
export async function listRequestTypeGroups(
  ctx: ActorContext,
  input: { site: SiteRef; serviceDeskId: string; start: number; limit: number },
): Promise<{ serviceDesk: ServiceDesk; start: number; limit: number; isLastPage: boolean; values: RequestTypeGroup[] }> {
  const desk = await resolveServiceDesk(ctx.db, ctx.actor, input.site, input.serviceDeskId);
  const all = await queryGroups(ctx.db, desk.projectId);
  return {
    serviceDesk: desk,
    start: input.start,
    limit: input.limit,
    isLastPage: input.start + input.limit >= all.length,
    values: all.slice(input.start, input.start + input.limit),
  };
}
