import type { ActorContext } from '../context.js';
import { canWorkProject, type SiteRef } from '../../domain/policies.js';
import { transitionsFor, type WorkflowTransition } from '../../domain/request-workflow.js';
import { pageOffset } from '../../domain/limits.js';
import { loadVisibleRequest } from './visible-request.js';

/**
 * GET …/request/{key}/transition: what the caller may do to the request's status now
 * (docs/product.md#rest-transitions): an agent of its project or an admin the agent's workflow, its
 * reporter resolving or reopening, a participant nothing. 404 for a request they cannot see.
 */
export async function listRequestTransitions(
  ctx: ActorContext,
  input: { site: SiteRef; key: string; start?: number; limit?: number },
): Promise<{ start: number; limit: number; isLastPage: boolean; values: WorkflowTransition[] }> {
  const request = await loadVisibleRequest(ctx.db, ctx.actor, input.site, input.key);
  const start = pageOffset(input.start);
  const limit = Math.max(1, Math.min(100, Math.floor(input.limit ?? 50)));
  const all = transitionsFor(request.status, {
    worksProject: canWorkProject(ctx.actor, input.site, request.projectId),
    isReporter: request.reporterId === ctx.actor.accountId,
  });
  return { start, limit, isLastPage: start + limit >= all.length, values: all.slice(start, start + limit) };
}
