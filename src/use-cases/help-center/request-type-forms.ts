import type { RequestTypeField } from '../../db/queries/request-types.js';
import { decideRaiseOnBehalf, type Actor, type SiteRef } from '../../domain/policies.js';
import type { ServiceDesk } from './portals.js';

/** A request type's form as the REST create-meta answers it (shared by the request type use cases). */
export interface RequestTypeFields {
  /** agents and admins of the project may raise a request for a customer */
  canRaiseOnBehalfOf: boolean;
  /** every form has "Share with" */
  canAddRequestParticipants: boolean;
  /** the form's fields in order: summary, description, user pickers */
  fields: RequestTypeField[];
}

export function createMetaFor(actor: Actor, site: SiteRef, desk: ServiceDesk, fields: RequestTypeField[]): RequestTypeFields {
  return { canRaiseOnBehalfOf: decideRaiseOnBehalf(actor, site, desk.projectId) === 'allow', canAddRequestParticipants: true, fields };
}
