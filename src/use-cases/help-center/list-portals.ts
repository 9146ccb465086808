import type { UseCaseContext } from '../context.js';
import type { SiteRef } from '../../domain/policies.js';
import { listUsablePortals, requireActor, type ProjectRow } from '../../db/queries/requests.js';

/** The help-center portals the caller may use on a site (docs/product.md#help-center "portals"). */
export async function listPortals(ctx: UseCaseContext, input: { site: SiteRef }): Promise<{ portals: ProjectRow[] }> {
  const actor = requireActor(ctx.actor);
  return { portals: await listUsablePortals(ctx.db, actor, input.site) };
}
