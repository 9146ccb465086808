import type { ActorContext, AnonymousContext } from '../context.js';
import type { SiteRef } from '../../domain/policies.js';
import type { ProjectRow } from '../../db/queries/projects.js';
import { listRequestTypeGroups, listRequestTypes, type RequestTypeGroup, type RequestTypeRow } from '../../db/queries/request-types.js';
import { loadUsablePortal, loadVisitorPortal } from './portals.js';

/**
 * One portal with its request types and their groups (the page's tabs, docs/product.md#request-type-groups); 404 when the caller may not use it (a visitor who is not
 * logged in: 401 unless the help center needs no login and the portal is open).
 */
export async function getPortal(
  ctx: ActorContext | AnonymousContext,
  input: { site: SiteRef; projectId: string },
): Promise<{ portal: ProjectRow; requestTypes: RequestTypeRow[]; groups: RequestTypeGroup[] }> {
  const portal = ctx.actor === null ? await loadVisitorPortal(ctx.db, input.site, input.projectId) : await loadUsablePortal(ctx.db, ctx.actor, input.site, input.projectId);
  const [requestTypes, groups] = await Promise.all([listRequestTypes(ctx.db, portal.id), listRequestTypeGroups(ctx.db, portal.id)]);
  return { portal, requestTypes, groups };
}
