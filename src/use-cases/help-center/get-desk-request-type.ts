import { notFound } from '../../domain/errors.js';
import type { SiteRef } from '../../domain/policies.js';
import { findRequestType, listRequestTypeGroups } from '../../db/queries/request-types.js';
import type { ActorContext } from '../context.js';
import { resolveServiceDesk } from './portals.js';
import { describeRequestType, type RequestType } from './list-request-types.js';

/**
 * GET …/servicedesk/{id}/requesttype/{requestTypeId}: one request type of a service desk the
 * caller may use or work (404 otherwise, and for a request type of another desk).
 */
export async function getDeskRequestType(
  ctx: ActorContext,
  input: { site: SiteRef; serviceDeskId: string; requestTypeId: string; withFields?: boolean },
): Promise<RequestType> {
  const desk = await resolveServiceDesk(ctx.db, ctx.actor, input.site, input.serviceDeskId);
  const type = await findRequestType(ctx.db, desk.projectId, input.requestTypeId.trim());
  if (!type) throw notFound(`The request type '${input.requestTypeId.slice(0, 40)}' does not exist in service desk ${desk.id}.`);
  return describeRequestType(ctx.db, ctx.actor, input.site, desk, type, await listRequestTypeGroups(ctx.db, desk.projectId), input.withFields);
}
