import type { SiteRef } from '../../domain/policies.js';
import type { ServiceDesk } from '../help-center/portals.js';
import type { ActorContext } from '../context.js';
import type { QueueWithCount } from './list-queues.js';
import { countQueues, loadProjectQueue, loadQueueDesk } from './queues.js';

/** GET …/servicedesk/{id}/queue/{queueId}: one queue of the project, with its count when asked. */
export async function getQueue(
  ctx: ActorContext,
  input: { site: SiteRef; serviceDeskId: string; queueId: string; includeCount?: boolean },
): Promise<{ desk: ServiceDesk; queue: QueueWithCount }> {
  const desk = await loadQueueDesk(ctx, input.site, input.serviceDeskId);
  const queue: QueueWithCount = await loadProjectQueue(ctx.db, desk.projectId, input.queueId);
  if (input.includeCount) queue.issueCount = (await countQueues(ctx, input.site, desk.projectId, [queue]))[0];
  return { desk, queue };
}
