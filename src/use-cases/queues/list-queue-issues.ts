import type { SiteRef } from '../../domain/policies.js';
import { badRequest } from '../../domain/errors.js';
import { JqlError } from '../../domain/jql/errors.js';
import type { ServiceDesk } from '../help-center/portals.js';
import type { ActorContext } from '../context.js';
import { searchIssues, type SearchIssuesResult } from '../filters/search-issues.js';
import { loadProjectQueue, loadQueueDesk, type Queue } from './queues.js';
import type { SlaState } from '../../domain/sla.js';
import { slasOfProjectRequests } from '../requests/get-request-slas.js';

/**
 * GET …/queue/{queueId}/issue and the agent's queue screen: a page of the requests the queue's JQL
 * finds within its project, in its order, as the caller sees them (the JQL search of
 * use-cases/filters, so its budget and visibility rule hold here too). A queue whose JQL no longer
 * runs (a person it names was deleted) is a 400 that says why. With `slas`, each request's SLAs now
 * (the agent's queue view shows the most urgent timer; docs/product.md#slas), read in one statement.
 */
export async function listQueueIssues(
  ctx: ActorContext,
  input: { site: SiteRef; serviceDeskId: string; queueId: string; start: number; limit: number; slas?: boolean; now?: Date },
): Promise<SearchIssuesResult & { desk: ServiceDesk; queue: Queue; start: number; limit: number; slas: Map<string, SlaState[]> }> {
  const desk = await loadQueueDesk(ctx, input.site, input.serviceDeskId);
  const queue = await loadProjectQueue(ctx.db, desk.projectId, input.queueId);
  try {
    const found = await searchIssues(ctx, { site: input.site, jql: queue.jql, startAt: input.start, maxResults: input.limit, projectId: desk.projectId });
    const slas = input.slas
      ? await slasOfProjectRequests(ctx.db, desk.projectId, found.issues.map((i) => ({ id: i.id, createdAt: i.created, status: i.status })), input.now)
      : new Map<string, SlaState[]>();
    return { ...found, desk, queue, start: input.start, limit: input.limit, slas };
  } catch (err) {
    if (err instanceof JqlError) throw badRequest(err.message, { jql: err.message });
    throw err;
  }
}
