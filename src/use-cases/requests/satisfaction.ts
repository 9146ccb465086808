import type { ActorContext } from '../context.js';
import { badRequest, notFound } from '../../domain/errors.js';
import { decideRateRequest, type SiteRef } from '../../domain/policies.js';
import { isRateable, ratingComment, ratingProblem } from '../../domain/satisfaction.js';
import { enforce } from '../authorize.js';
import { deleteRequestRating, findRequestRating, projectSatisfaction, saveRequestRating, type ProjectSatisfactionRows, type StoredRating } from '../../db/queries/request-ratings.js';
import { loadWorkableProject, loadWorkableRequest } from './agent-access.js';
import { assertActorStillActive, loadVisibleRequest } from './visible-request.js';

// Satisfaction (docs/product.md#satisfaction): the reporter rates a resolved request 1 to 5 with an
// optional comment, in the help center or over REST (Atlassian's /request/{key}/feedback); agents of
// the project see the rating on the request and a summary per project.

export interface RequestRating {
  rating: StoredRating | null;
  /** the viewer may rate it now (or change the rating) */
  canRate: boolean;
}

const NOT_REPORTER = 'Only the person who raised this request can rate it.';

/** The rating of a request the caller sees (help center, REST): 404 when they may not see it. */
export async function getRequestRating(ctx: ActorContext, input: { site: SiteRef; key: string }): Promise<RequestRating> {
  const request = await loadVisibleRequest(ctx.db, ctx.actor, input.site, input.key);
  const rating = await findRequestRating(ctx.db, request.id);
  return { rating, canRate: decideRateRequest(ctx.actor, request) === 'allow' && isRateable(request.status) };
}

/**
 * The reporter rates their resolved (or closed) request, or changes the rating. Anyone else who sees
 * it: 403; a request not resolved: 400; nothing changes on a refusal.
 */
export async function rateRequest(
  ctx: ActorContext,
  input: { site: SiteRef; key: string; rating: unknown; comment?: string | null },
): Promise<StoredRating> {
  const request = await loadVisibleRequest(ctx.db, ctx.actor, input.site, input.key);
  enforce(decideRateRequest(ctx.actor, request), { forbidden: NOT_REPORTER });
  const problem = ratingProblem(input.rating);
  if (problem) throw badRequest(problem, { rating: problem });
  const comment = ratingComment(input.comment);
  if ('problem' in comment) throw badRequest(comment.problem, { comment: comment.problem });
  return ctx.db.transaction().execute(async (trx) => {
    await assertActorStillActive(trx, ctx.actor);
    // the status as of now, held until the rating is saved (a reopen waits)
    const current = await trx.selectFrom('requests').select('status').where('id', '=', request.id).forUpdate().executeTakeFirstOrThrow();
    if (!isRateable(current.status)) {
      const msg = `${request.key} is ${current.status}: it can be rated once it is resolved.`;
      throw badRequest(msg, { rating: msg });
    }
    await saveRequestRating(trx, {
      requestId: request.id,
      siteId: input.site.id,
      projectId: request.projectId,
      rating: input.rating as number,
      comment: comment.comment,
      ratedBy: ctx.actor.accountId,
    });
    return (await findRequestRating(trx, request.id))!;
  });
}

/** The reporter takes their rating back (REST DELETE …/feedback). 404 when there is none. */
export async function removeRequestRating(ctx: ActorContext, input: { site: SiteRef; key: string }): Promise<void> {
  const request = await loadVisibleRequest(ctx.db, ctx.actor, input.site, input.key);
  enforce(decideRateRequest(ctx.actor, request), { forbidden: NOT_REPORTER });
  await ctx.db.transaction().execute(async (trx) => {
    await assertActorStillActive(trx, ctx.actor);
    if (!(await deleteRequestRating(trx, request.id))) throw notFound(`${request.key} has no rating.`);
  });
}

/** The rating of a request, for an agent of its project. */
export async function getAgentRequestRating(ctx: ActorContext, input: { site: SiteRef; key: string }): Promise<StoredRating | null> {
  const request = await loadWorkableRequest(ctx, input.site, input.key);
  return findRequestRating(ctx.db, request.id);
}

export const SATISFACTION_LATEST = 20;

export interface ProjectSatisfaction extends ProjectSatisfactionRows {
  project: { key: string; name: string };
  total: number;
  /** mean rating, to two decimals; null when nothing is rated */
  average: number | null;
}

/** A project's satisfaction for its agents: counts per rating, the average, the latest ratings. */
export async function getProjectSatisfaction(ctx: ActorContext, input: { site: SiteRef; projectKey: string }): Promise<ProjectSatisfaction> {
  const project = await loadWorkableProject(ctx, input.site, input.projectKey);
  const rows = await projectSatisfaction(ctx.db, project.id, SATISFACTION_LATEST);
  const entries = Object.entries(rows.counts).map(([r, n]) => [Number(r), n] as const);
  const total = entries.reduce((sum, [, n]) => sum + n, 0);
  const average = total === 0 ? null : Math.round((entries.reduce((sum, [r, n]) => sum + r * n, 0) / total) * 100) / 100;
  return { ...rows, project: { key: project.key, name: project.name }, total, average };
}
