import type { ActorContext, AnonymousContext } from '../context.js';
import type { SiteRef } from '../../domain/policies.js';
import type { ProjectRow } from '../../db/queries/projects.js';
import { listUsablePortals, listVisitorPortals } from './portals.js';

/**
 * The help-center portals the caller may use on a site (docs/product.md#help-center "portals"); a
 * visitor who is not logged in, the open ones of a help center that needs no login (docs/product.md#signup).
 */
export async function listPortals(ctx: ActorContext | AnonymousContext, input: { site: SiteRef }): Promise<{ portals: ProjectRow[] }> {
  if (ctx.actor === null) return { portals: await listVisitorPortals(ctx.db, input.site) };
  return { portals: await listUsablePortals(ctx.db, ctx.actor, input.site) };
}
