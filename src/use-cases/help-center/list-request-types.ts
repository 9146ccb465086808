import type { SiteRef } from '../../domain/policies.js';
import { listRequestTypes as queryRequestTypes, listRequestTypeFields } from '../../db/queries/request-types.js';
import type { ActorContext } from '../context.js';
import { resolveServiceDesk, type ServiceDesk } from './portals.js';
import { createMetaFor, type RequestTypeFields } from './request-type-forms.js';

export interface RequestType {
  id: string;
  name: string;
  description: string;
  helpText: string;
  serviceDeskId: string;
  portalId: string;
  /** with `withFields`: the form, as GET …/requesttype/{id}/field answers it */
  fields?: RequestTypeFields;
}

export interface ListRequestTypesInput {
  site: SiteRef;
  serviceDeskId: string;
  start: number;
  limit: number;
  /** words that must all occur in the name or description, case-insensitively */
  searchQuery?: string;
  /** Portico has no request type groups: asking for any group finds nothing */
  groupId?: number;
  /** every Portico request type is open to all customers of its portal */
  restrictionStatus?: 'open' | 'restricted';
  withFields?: boolean;
}

/** GET …/servicedesk/{id}/requesttype: the request types of a service desk, in portal order. */
export async function listRequestTypes(
  ctx: ActorContext,
  input: ListRequestTypesInput,
): Promise<{ serviceDesk: ServiceDesk; start: number; limit: number; isLastPage: boolean; values: RequestType[] }> {
  const actor = ctx.actor;
  const desk = await resolveServiceDesk(ctx.db, actor, input.site, input.serviceDeskId);
  const page = (values: RequestType[], isLastPage: boolean) => ({ serviceDesk: desk, start: input.start, limit: input.limit, isLastPage, values });
  if (input.groupId !== undefined || input.restrictionStatus === 'restricted') return page([], true);

  // a portal has a handful of request types: filter and page them in memory
  const words = (input.searchQuery ?? '').toLowerCase().split(/\s+/).filter(Boolean);
  const matching = (await queryRequestTypes(ctx.db, desk.projectId)).filter((t) => {
    const text = `${t.name} ${t.description}`.toLowerCase();
    return words.every((w) => text.includes(w));
  });
  const slice = matching.slice(input.start, input.start + input.limit);
  const values: RequestType[] = [];
  for (const t of slice) {
    values.push({
      id: t.id,
      name: t.name,
      description: t.description,
      helpText: t.helpText,
      serviceDeskId: desk.id,
      portalId: desk.projectId,
      ...(input.withFields ? { fields: createMetaFor(actor, input.site, desk, await listRequestTypeFields(ctx.db, t.id)) } : {}),
    });
  }
  return page(values, input.start + input.limit >= matching.length);
}
