import type { ActorContext } from '../context.js';
import { decideRaiseOnBehalf, type SiteRef } from '../../domain/policies.js';
import { notFound } from '../../domain/errors.js';
import type { ProjectRow } from '../../db/queries/projects.js';
import { findRequestType, listRequestTypeFields, type RequestTypeField, type RequestTypeRow } from '../../db/queries/request-types.js';
import { loadUsablePortal } from './portals.js';

export interface RequestTypeForm {
  portal: ProjectRow;
  requestType: RequestTypeRow;
  fields: RequestTypeField[];
  canRaiseOnBehalfOf: boolean;
  canAddRequestParticipants: boolean;
}

/** A request type's form: its fields in order, with user pickers marked by type. */
export async function getRequestType(
  ctx: ActorContext,
  input: { site: SiteRef; projectId: string; requestTypeId: string },
): Promise<RequestTypeForm> {
  const portal = await loadUsablePortal(ctx.db, ctx.actor, input.site, input.projectId);
  const requestType = await findRequestType(ctx.db, portal.id, input.requestTypeId);
  if (!requestType) throw notFound('Request type not found.');
  return {
    portal,
    requestType,
    fields: await listRequestTypeFields(ctx.db, requestType.id),
    canRaiseOnBehalfOf: decideRaiseOnBehalf(ctx.actor, input.site, portal.id) === 'allow',
    canAddRequestParticipants: true,
  };
}
