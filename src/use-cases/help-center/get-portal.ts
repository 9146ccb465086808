import type { ActorContext } from '../context.js';
import type { SiteRef } from '../../domain/policies.js';
import type { ProjectRow } from '../../db/queries/projects.js';
import { listRequestTypes, type RequestTypeRow } from '../../db/queries/request-types.js';
import { loadUsablePortal } from './portals.js';

/** One portal with its request types; 404 when the caller may not use it. */
export async function getPortal(
  ctx: ActorContext,
  input: { site: SiteRef; projectId: string },
): Promise<{ portal: ProjectRow; requestTypes: RequestTypeRow[] }> {
  const portal = await loadUsablePortal(ctx.db, ctx.actor, input.site, input.projectId);
  return { portal, requestTypes: await listRequestTypes(ctx.db, portal.id) };
}
