import type { SiteRef } from '../../domain/policies.js';
import { assertAgentWorkspace } from '../requests/agent-access.js';
import type { ActorContext } from '../context.js';
import type { SavedFilter } from './save-filter.js';

/** The agent's own saved filters on the site, by name. */
export async function listSavedFilters(ctx: ActorContext, input: { site: SiteRef }): Promise<SavedFilter[]> {
  const actor = assertAgentWorkspace(ctx, input.site);
  const rows = await ctx.db
    .selectFrom('saved_filters')
    .select(['id', 'name', 'jql', 'created_at'])
    .where('site_id', '=', input.site.id)
    .where('owner_id', '=', actor.accountId)
    .orderBy('name')
    .orderBy('id')
    .execute();
  return rows.map((r) => ({ id: String(r.id), name: r.name, jql: r.jql, createdAt: r.created_at }));
}
