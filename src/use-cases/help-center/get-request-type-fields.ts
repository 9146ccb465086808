import { notFound } from '../../domain/errors.js';
import type { SiteRef } from '../../domain/policies.js';
import { findRequestType, listRequestTypeFields, type RequestTypeField } from '../../db/queries/request-types.js';
import type { ActorContext } from '../context.js';
import { resolveServiceDesk } from './portals.js';
import { createMetaFor, type RequestTypeFields } from './request-type-forms.js';

export type { RequestTypeField, RequestTypeFields };

/** GET …/requesttype/{id}/field: the fields of one request type of a service desk the actor may see. */
export async function getRequestTypeFields(
  ctx: ActorContext,
  input: { site: SiteRef; serviceDeskId: string; requestTypeId: string },
): Promise<RequestTypeFields> {
  const desk = await resolveServiceDesk(ctx.db, ctx.actor, input.site, input.serviceDeskId);
  const type = await findRequestType(ctx.db, desk.projectId, input.requestTypeId.trim());
  if (!type) throw notFound(`The request type '${input.requestTypeId.slice(0, 40)}' does not exist in service desk ${desk.id}.`);
  return createMetaFor(ctx.actor, input.site, desk, await listRequestTypeFields(ctx.db, type.id));
}
