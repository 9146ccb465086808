import type { ActorContext } from '../context.js';
import { belongsToSite, type SiteRef } from '../../domain/policies.js';
import { badRequest } from '../../domain/errors.js';
import { isBigintId } from '../../db/queries/projects.js';
import { listMyRequests as queryMyRequests, type MyRequestRow, type MyRequestsFilter } from '../../db/queries/requests.js';
import { pageOffset } from '../../domain/limits.js';

export const MY_REQUESTS_MAX_LIMIT = 100;

/**
 * "My requests" of the help center: the caller's requests on this site — created by them, shared
 * with them (participant), or both — newest first, paged.
 */
export async function listMyRequests(
  ctx: ActorContext,
  input: { site: SiteRef; filter?: MyRequestsFilter; start?: number; limit?: number; projectId?: string },
): Promise<{ start: number; limit: number; total: number; isLastPage: boolean; values: MyRequestRow[] }> {
  const actor = ctx.actor;
  const filter = input.filter ?? 'all';
  if (!['created', 'shared', 'all'].includes(filter)) throw badRequest(`'filter' must be created, shared or all.`, { filter: `'filter' must be created, shared or all.` });
  const start = pageOffset(input.start);
  const limit = Math.max(1, Math.min(MY_REQUESTS_MAX_LIMIT, Math.floor(input.limit ?? 50)));
  if (input.projectId !== undefined && !isBigintId(input.projectId)) throw badRequest(`'projectId' must be a project id.`, { projectId: `'projectId' must be a project id.` });
  // a customer of another site, or staff of another organization, has no requests here
  if (!belongsToSite(actor, input.site)) return { start, limit, total: 0, isLastPage: true, values: [] };
  const { rows, total } = await queryMyRequests(ctx.db, { siteId: input.site.id, accountId: actor.accountId, filter, start, limit, projectId: input.projectId });
  return { start, limit, total, isLastPage: start + rows.length >= total, values: rows };
}
