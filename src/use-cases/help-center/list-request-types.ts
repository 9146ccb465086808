import type { Actor, SiteRef } from '../../domain/policies.js';
import type { Db } from '../../db/connection.js';
import {
  listRequestTypes as queryRequestTypes,
  listRequestTypeFields,
  listRequestTypeGroups,
  type RequestTypeGroup,
  type RequestTypeRow,
} from '../../db/queries/request-types.js';
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
  /** the request-type groups it is in (docs/product.md#request-type-groups), in tab order */
  groupIds: string[];
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
  /** only the request types of this group (an unknown group of the desk finds nothing) */
  groupId?: number;
  /** every Portico request type is open to all customers of its portal */
  restrictionStatus?: 'open' | 'restricted';
  withFields?: boolean;
}

/** A request type of a desk as the REST API answers it, with its groups and, when asked, its form. */
export async function describeRequestType(
  db: Db,
  actor: Actor,
  site: SiteRef,
  desk: ServiceDesk,
  t: RequestTypeRow,
  groups: RequestTypeGroup[],
  withFields: boolean | undefined,
): Promise<RequestType> {
  return {
    id: t.id,
    name: t.name,
    description: t.description,
    helpText: t.helpText,
    serviceDeskId: desk.id,
    portalId: desk.projectId,
    groupIds: groups.filter((g) => g.requestTypeIds.includes(t.id)).map((g) => g.id),
    ...(withFields ? { fields: createMetaFor(actor, site, desk, await listRequestTypeFields(db, t.id)) } : {}),
  };
}

/** GET …/servicedesk/{id}/requesttype: the request types of a service desk, in portal order (or in the group's order). */
export async function listRequestTypes(
  ctx: ActorContext,
  input: ListRequestTypesInput,
): Promise<{ serviceDesk: ServiceDesk; start: number; limit: number; isLastPage: boolean; values: RequestType[] }> {
  const actor = ctx.actor;
  const desk = await resolveServiceDesk(ctx.db, actor, input.site, input.serviceDeskId);
  const page = (values: RequestType[], isLastPage: boolean) => ({ serviceDesk: desk, start: input.start, limit: input.limit, isLastPage, values });
  if (input.restrictionStatus === 'restricted') return page([], true);

  // a portal has a handful of request types: filter and page them in memory
  const [types, groups] = await Promise.all([queryRequestTypes(ctx.db, desk.projectId), listRequestTypeGroups(ctx.db, desk.projectId)]);
  let inScope = types;
  if (input.groupId !== undefined) {
    const group = groups.find((g) => g.id === String(input.groupId));
    const byId = new Map(types.map((t) => [t.id, t]));
    inScope = (group?.requestTypeIds ?? []).map((id) => byId.get(id)).filter((t): t is RequestTypeRow => t !== undefined);
  }
  const words = (input.searchQuery ?? '').toLowerCase().split(/\s+/).filter(Boolean);
  const matching = inScope.filter((t) => {
    const text = `${t.name} ${t.description}`.toLowerCase();
    return words.every((w) => text.includes(w));
  });
  const slice = matching.slice(input.start, input.start + input.limit);
  const values: RequestType[] = [];
  for (const t of slice) values.push(await describeRequestType(ctx.db, actor, input.site, desk, t, groups, input.withFields));
  return page(values, input.start + input.limit >= matching.length);
}
