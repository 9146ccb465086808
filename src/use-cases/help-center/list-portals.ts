import type { ActorContext } from '../context.js';
import type { SiteRef } from '../../domain/policies.js';
import type { ProjectRow } from '../../db/queries/projects.js';
import { listUsablePortals } from './portals.js';

/** The help-center portals the caller may use on a site (docs/product.md#help-center "portals"). */
export async function listPortals(ctx: ActorContext, input: { site: SiteRef }): Promise<{ portals: ProjectRow[] }> {
  return { portals: await listUsablePortals(ctx.db, ctx.actor, input.site) };
}
