import { notFound } from '../../domain/errors.js';
import { decideSavedFilter, type SiteRef } from '../../domain/policies.js';
import { enforce } from '../authorize.js';
import { assertAgentWorkspace } from '../requests/agent-access.js';
import type { ActorContext } from '../context.js';
import { auditSiteChange } from '../audit.js';

/** Deletes one of the agent's own filters; someone else's filter, or none, is 404. */
export async function deleteSavedFilter(ctx: ActorContext, input: { site: SiteRef; filterId: string }): Promise<void> {
  const actor = assertAgentWorkspace(ctx, input.site);
  if (!/^\d{1,18}$/.test(input.filterId)) throw notFound('The filter was not found.');
  await ctx.db.transaction().execute(async (trx) => {
    const filter = await trx
      .selectFrom('saved_filters')
      .select(['id', 'name', 'owner_id as ownerId'])
      .where('id', '=', input.filterId)
      .where('site_id', '=', input.site.id)
      .forUpdate()
      .executeTakeFirst();
    enforce(decideSavedFilter(actor, filter), { notFound: 'The filter was not found.' });
    const row = filter!;
    await trx.deleteFrom('saved_filters').where('id', '=', row.id).execute();
    await auditSiteChange(trx, ctx, input.site, 'filter.deleted', { filterId: String(row.id), name: row.name });
  });
}
