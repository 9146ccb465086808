import { notFound } from '../../domain/errors.js';
import { canWorkProject, type Actor, type SiteRef } from '../../domain/policies.js';
import { findRequestType, listRequestTypeFields, type RequestTypeField } from '../../db/queries/requests.js';
import type { UseCaseContext } from '../context.js';
import { requireActor, resolveServiceDesk, type ServiceDesk } from './get-service-desk.js';

export type { RequestTypeField };

export interface RequestTypeFields {
  /** agents and admins of the project may raise a request for a customer */
  canRaiseOnBehalfOf: boolean;
  /** every form has "Share with" */
  canAddRequestParticipants: boolean;
  /** the form's fields in order: summary, description, user pickers */
  fields: RequestTypeField[];
}

export function createMetaFor(actor: Actor, site: SiteRef, desk: ServiceDesk, fields: RequestTypeField[]): RequestTypeFields {
  return { canRaiseOnBehalfOf: canWorkProject(actor, site, desk.projectId), canAddRequestParticipants: true, fields };
}

/** GET …/requesttype/{id}/field: the fields of one request type of a service desk the actor may see. */
export async function getRequestTypeFields(
  ctx: UseCaseContext,
  input: { site: SiteRef; serviceDeskId: string; requestTypeId: string },
): Promise<RequestTypeFields> {
  const actor = requireActor(ctx);
  const desk = await resolveServiceDesk(ctx.db, actor, input.site, input.serviceDeskId);
  const type = await findRequestType(ctx.db, desk.projectId, input.requestTypeId.trim());
  if (!type) throw notFound(`The request type '${input.requestTypeId.slice(0, 40)}' does not exist in service desk ${desk.id}.`);
  return createMetaFor(actor, input.site, desk, await listRequestTypeFields(ctx.db, type.id));
}
