import type { ActorContext, AnonymousContext } from '../context.js';
import type { SiteRef } from '../../domain/policies.js';
import type { ProjectRow } from '../../db/queries/projects.js';
import { listRequestTypes, type RequestTypeRow } from '../../db/queries/request-types.js';
import { loadUsablePortal, loadVisitorPortal } from './portals.js';

/**
 * One portal with its request types; 404 when the caller may not use it (a visitor who is not
 * logged in: 401 unless the help center needs no login and the portal is open).
 */
export async function getPortal(
  ctx: ActorContext | AnonymousContext,
  input: { site: SiteRef; projectId: string },
): Promise<{ portal: ProjectRow; requestTypes: RequestTypeRow[] }> {
  const portal = ctx.actor === null ? await loadVisitorPortal(ctx.db, input.site, input.projectId) : await loadUsablePortal(ctx.db, ctx.actor, input.site, input.projectId);
  return { portal, requestTypes: await listRequestTypes(ctx.db, portal.id) };
}
