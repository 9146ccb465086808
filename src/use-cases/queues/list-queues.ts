import type { SiteRef } from '../../domain/policies.js';
import type { ServiceDesk } from '../help-center/portals.js';
import type { ActorContext } from '../context.js';
import { countQueues, listProjectQueues, loadQueueDesk, type Queue } from './queues.js';

export interface QueueWithCount extends Queue {
  /** requests in the queue as the caller sees them; undefined unless asked for, null when its JQL no longer runs */
  issueCount?: number | null;
}

/**
 * GET …/servicedesk/{id}/queue and the agent's sidebar: the project's queues in order, a page at a
 * time, with their counts when `includeCount` (one statement for all of them).
 */
export async function listQueues(
  ctx: ActorContext,
  input: { site: SiteRef; serviceDeskId: string; includeCount?: boolean; start: number; limit: number },
): Promise<{ desk: ServiceDesk; start: number; limit: number; isLastPage: boolean; values: QueueWithCount[] }> {
  const desk = await loadQueueDesk(ctx, input.site, input.serviceDeskId);
  const all = await listProjectQueues(ctx.db, desk.projectId);
  const page: QueueWithCount[] = all.slice(input.start, input.start + input.limit);
  if (input.includeCount && page.length) {
    const counts = await countQueues(ctx, input.site, desk.projectId, page);
    page.forEach((q, i) => (q.issueCount = counts[i]));
  }
  return { desk, start: input.start, limit: input.limit, isLastPage: input.start + page.length >= all.length, values: page };
}
