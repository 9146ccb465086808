import type { UseCaseContext } from '../context.js';
import type { SiteRef } from '../../domain/policies.js';
import { listRequestTypes, requireActor, requireUsablePortal, type ProjectRow, type RequestTypeRow } from '../../db/queries/requests.js';

/** One portal with its request types; 404 when the caller may not use it. */
export async function getPortal(
  ctx: UseCaseContext,
  input: { site: SiteRef; projectId: string },
): Promise<{ portal: ProjectRow; requestTypes: RequestTypeRow[] }> {
  const actor = requireActor(ctx.actor);
  const portal = await requireUsablePortal(ctx.db, actor, input.site, input.projectId);
  return { portal, requestTypes: await listRequestTypes(ctx.db, portal.id) };
}
