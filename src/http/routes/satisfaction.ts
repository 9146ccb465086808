import { Type } from 'typebox';
import type { App, AppDeps } from '../deps.js';
import { contextFor } from '../deps.js';
import { requireSite } from '../plugins/auth.js';
import { presentPerson } from '../presenters/people.js';
import { apiErrors, NoContent } from '../schemas/common.js';
import { errorResponses } from '../schemas/rest.js';
import { CsatFeedbackBodySchema, CsatFeedbackSchema, ProjectSatisfactionSchema, RateBodySchema, RatingSchema, RequestRatingSchema } from '../schemas/satisfaction.js';
import type { Actor } from '../../domain/policies.js';
import { notFound } from '../../domain/errors.js';
import type { StoredRating } from '../../domain/satisfaction.js';
import { getAgentRequestRating, getProjectSatisfaction, getRequestRating, rateRequest, removeRequestRating } from '../../use-cases/requests/satisfaction.js';
import { JSM, emptyBodyAsObject } from './rest/common.js';

// Satisfaction (docs/product.md#satisfaction) on every surface: the help center's rating of a
// request (its reporter rates it once it is resolved), the agent workspace's view of a request's
// rating and a project's summary, and Atlassian's CSAT feedback endpoints on the REST API.

const Site = { site: Type.String({ minLength: 1, maxLength: 63 }) };
const RequestParams = Type.Object({ ...Site, key: Type.String({ minLength: 1, maxLength: 40 }) });
const ProjectParams = Type.Object({ ...Site, key: Type.String({ minLength: 1, maxLength: 20 }) });
const RestRequestParams = Type.Object({ site: Type.String(), issueIdOrKey: Type.String({ description: 'issue id (10001) or key (HELP-1)' }) });

function presentRating(r: StoredRating, viewer: Actor) {
  return { rating: r.rating, comment: r.comment, ratedAt: r.ratedAt.toISOString(), ratedBy: presentPerson(r.ratedBy, viewer) };
}

function presentCsat(r: StoredRating) {
  return r.comment === null ? { type: 'csat' as const, rating: r.rating } : { type: 'csat' as const, rating: r.rating, comment: { body: r.comment } };
}

export async function registerSatisfactionRoutes(app: App, deps: AppDeps): Promise<void> {
  const portal = { tags: ['help center (internal)'] };
  const agent = { tags: ['agent workspace (internal)'] };

  app.get('/s/:site/api/portal/requests/:key/rating', {
    schema: { ...portal, summary: "A request's satisfaction rating, and whether you may rate it now", params: RequestParams, response: { 200: RequestRatingSchema, ...apiErrors } },
  }, async (request) => {
    const ctx = await contextFor(deps, request);
    const r = await getRequestRating(ctx, { site: requireSite(request), key: request.params.key });
    return { rating: r.rating ? presentRating(r.rating, ctx.actor) : null, canRate: r.canRate };
  });

  app.put('/s/:site/api/portal/requests/:key/rating', {
    schema: { ...portal, summary: 'Rate your resolved request 1 to 5, or change the rating (its reporter)', params: RequestParams, body: RateBodySchema, response: { 200: RatingSchema, ...apiErrors } },
  }, async (request) => {
    const ctx = await contextFor(deps, request);
    const r = await rateRequest(ctx, { site: requireSite(request), key: request.params.key, rating: request.body.rating, comment: request.body.comment });
    return presentRating(r, ctx.actor);
  });

  app.get('/s/:site/api/agent/requests/:key/rating', {
    schema: { ...agent, summary: "A request's satisfaction rating (agents of its project)", params: RequestParams, response: { 200: Type.Object({ rating: Type.Union([RatingSchema, Type.Null()]) }), ...apiErrors } },
  }, async (request) => {
    const ctx = await contextFor(deps, request);
    const r = await getAgentRequestRating(ctx, { site: requireSite(request), key: request.params.key });
    return { rating: r ? presentRating(r, ctx.actor) : null };
  });

  app.get('/s/:site/api/agent/projects/:key/satisfaction', {
    schema: { ...agent, summary: "A project's satisfaction: ratings per score, the average, the latest", params: ProjectParams, response: { 200: ProjectSatisfactionSchema, ...apiErrors } },
  }, async (request) => {
    const ctx = await contextFor(deps, request);
    const s = await getProjectSatisfaction(ctx, { site: requireSite(request), projectKey: request.params.key });
    return {
      project: s.project,
      total: s.total,
      average: s.average,
      counts: { '1': s.counts[1], '2': s.counts[2], '3': s.counts[3], '4': s.counts[4], '5': s.counts[5] },
      latest: s.latest.map((r) => ({ key: r.key, summary: r.summary, ...presentRating(r, ctx.actor) })),
    };
  });

  app.get('/s/:site/rest/servicedeskapi/request/:issueIdOrKey/feedback', {
    schema: { tags: [JSM], summary: "A request's CSAT feedback (404 when it has none)", params: RestRequestParams, response: { 200: CsatFeedbackSchema, ...errorResponses } },
  }, async (request) => {
    const ctx = await contextFor(deps, request);
    const key = request.params.issueIdOrKey;
    const r = await getRequestRating(ctx, { site: requireSite(request), key });
    if (!r.rating) throw notFound(`Request '${key.slice(0, 40)}' has no feedback.`);
    return presentCsat(r.rating);
  });

  app.post('/s/:site/rest/servicedeskapi/request/:issueIdOrKey/feedback', {
    preValidation: emptyBodyAsObject,
    schema: { tags: [JSM], summary: 'Give CSAT feedback on your resolved request (its reporter)', params: RestRequestParams, body: CsatFeedbackBodySchema, response: { 200: CsatFeedbackSchema, ...errorResponses } },
  }, async (request) => {
    const ctx = await contextFor(deps, request);
    const r = await rateRequest(ctx, { site: requireSite(request), key: request.params.issueIdOrKey, rating: request.body.rating, comment: request.body.comment?.body ?? null });
    return presentCsat(r);
  });

  app.delete('/s/:site/rest/servicedeskapi/request/:issueIdOrKey/feedback', {
    schema: { tags: [JSM], summary: 'Take back your CSAT feedback (its reporter)', params: RestRequestParams, response: { 204: NoContent, ...errorResponses } },
  }, async (request, reply) => {
    const ctx = await contextFor(deps, request);
    await removeRequestRating(ctx, { site: requireSite(request), key: request.params.issueIdOrKey });
    return reply.code(204).send(null);
  });
}
