import { badRequest } from '../../domain/errors.js';
import type { SiteRef } from '../../domain/policies.js';
import { auditSiteChange } from '../audit.js';
import type { ActorContext } from '../context.js';
import { loadProjectQueue, loadQueueDesk } from './queues.js';

/** An agent of the project removes a queue it added; the four built-in queues stay. Audited as `queue.deleted`. */
export async function deleteQueue(ctx: ActorContext, input: { site: SiteRef; serviceDeskId: string; queueId: string }): Promise<void> {
  const desk = await loadQueueDesk(ctx, input.site, input.serviceDeskId);
  await ctx.db.transaction().execute(async (trx) => {
    const queue = await loadProjectQueue(trx, desk.projectId, input.queueId);
    if (queue.builtIn) {
      const msg = `'${queue.name}' is one of the project's built-in queues and cannot be deleted.`;
      throw badRequest(msg, { queueId: msg });
    }
    await trx.deleteFrom('queues').where('id', '=', queue.id).execute();
    await auditSiteChange(trx, ctx, input.site, 'queue.deleted', { queueId: queue.id, projectKey: desk.projectKey, name: queue.name });
  });
}
