import type { UseCaseContext } from '../context.js';
import { canWorkProject, type SiteRef } from '../../domain/policies.js';
import { notFound } from '../../domain/errors.js';
import {
  findRequestType,
  listRequestTypeFields,
  requireActor,
  requireUsablePortal,
  type ProjectRow,
  type RequestTypeField,
  type RequestTypeRow,
} from '../../db/queries/requests.js';

export interface RequestTypeForm {
  portal: ProjectRow;
  requestType: RequestTypeRow;
  fields: RequestTypeField[];
  canRaiseOnBehalfOf: boolean;
  canAddRequestParticipants: boolean;
}

/** A request type's form: its fields in order, with user pickers marked by type. */
export async function getRequestType(
  ctx: UseCaseContext,
  input: { site: SiteRef; projectId: string; requestTypeId: string },
): Promise<RequestTypeForm> {
  const actor = requireActor(ctx.actor);
  const portal = await requireUsablePortal(ctx.db, actor, input.site, input.projectId);
  const requestType = await findRequestType(ctx.db, portal.id, input.requestTypeId);
  if (!requestType) throw notFound('Request type not found.');
  return {
    portal,
    requestType,
    fields: await listRequestTypeFields(ctx.db, requestType.id),
    canRaiseOnBehalfOf: canWorkProject(actor, input.site, portal.id),
    canAddRequestParticipants: true,
  };
}
