import { Readable } from 'node:stream';
import { Type, type Static, type TObject, type TSchema } from 'typebox';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { App, AppDeps } from '../deps.js';
import { contextFor } from '../deps.js';
import { apiErrors } from '../schemas/common.js';
import { errorResponses } from '../schemas/rest.js';
import {
  AccessReviewListSchema,
  AccessReviewSchema,
  DecideBody,
  ReviewAppliedSchema,
  ReviewItemPageSchema,
  ReviewItemSchema,
  ReviewItemsQuery,
  StartAccessReviewBody,
} from '../schemas/access-reviews.js';
import { presentAccessReview, presentReviewItem } from '../presenters/access-reviews.js';
import { listAccessReviews } from '../../use-cases/access-reviews/list-access-reviews.js';
import { startAccessReview } from '../../use-cases/access-reviews/start-access-review.js';
import { getAccessReview, listAccessReviewItems } from '../../use-cases/access-reviews/get-access-review.js';
import { decideAccessReviewItem } from '../../use-cases/access-reviews/decide-access-review-item.js';
import { completeAccessReview } from '../../use-cases/access-reviews/apply-access-review.js';
import { cancelAccessReview } from '../../use-cases/access-reviews/cancel-access-review.js';
import { exportAccessReviewReport } from '../../use-cases/access-reviews/export-access-review-report.js';
import { emptyBodyAsObject } from './rest/common.js';

// Access reviews (docs/product.md#access-reviews), over the admin console's API
// (/api/admin/sites/{slug}/access-reviews…) and Portico's REST (/s/{site}/rest/portico/1/access-review…):
// the same use cases, the same answers; only the paths, the tags and the error shape differ.

interface Surface {
  /** the path of the site's reviews, with `:slug` or `:site` */
  base: string;
  /** the path segment of a review's customers */
  items: string;
  siteParam: 'slug' | 'site';
  tags: string[];
  errors: Record<string, TSchema>;
}

const SURFACES: Surface[] = [
  { base: '/api/admin/sites/:slug/access-reviews', items: 'items', siteParam: 'slug', tags: ['admin'], errors: apiErrors },
  { base: '/s/:site/rest/portico/1/access-review', items: 'customer', siteParam: 'site', tags: ['Portico REST'], errors: errorResponses },
];

const ReviewId = Type.String({ minLength: 1, maxLength: 64, description: 'the review id (a UUID)' });
const AccountId = Type.String({ minLength: 1, maxLength: 128, description: "the customer's account id" });

export function registerAccessReviewRoutes(app: App, deps: AppDeps): void {
  for (const s of SURFACES) register(app, deps, s);
}

function register(app: App, deps: AppDeps, s: Surface): void {
  const site = Type.String({ minLength: 1, maxLength: 63, description: 'site slug' });
  const SiteParams = Type.Object({ [s.siteParam]: site }) as TObject;
  const ReviewParams = Type.Object({ [s.siteParam]: site, reviewId: ReviewId }) as TObject;
  const ItemParams = Type.Object({ [s.siteParam]: site, reviewId: ReviewId, accountId: AccountId }) as TObject;
  const slugOf = (request: FastifyRequest) => (request.params as Record<string, string>)[s.siteParam];
  const reviewOf = (request: FastifyRequest) => ({ siteSlug: slugOf(request), reviewId: (request.params as { reviewId: string }).reviewId });
  const who = "the site's org admins and site admins";

  app.get(s.base, {
    schema: { tags: s.tags, summary: `The site's access reviews, newest first, with their progress, and who may review (${who})`, params: SiteParams, response: { 200: AccessReviewListSchema, ...s.errors } },
  }, async (request) => {
    const list = await listAccessReviews(await contextFor(deps, request), { siteSlug: slugOf(request) });
    return { values: list.values.map(presentAccessReview), reviewerCandidates: list.reviewerCandidates };
  });

  app.post(s.base, {
    preValidation: emptyBodyAsObject,
    schema: {
      tags: s.tags,
      summary: "Start an access review of the site's customers with access (all, or those the filter matches), with an optional due date, the default for undecided customers and reviewers",
      params: SiteParams,
      body: StartAccessReviewBody,
      response: { 201: AccessReviewSchema, ...s.errors },
    },
  }, async (request, reply) => {
    const body = request.body as Static<typeof StartAccessReviewBody>;
    const review = await startAccessReview(await contextFor(deps, request), { siteSlug: slugOf(request), ...body });
    return reply.code(201).send(presentAccessReview(review));
  });

  app.get(`${s.base}/:reviewId`, {
    schema: { tags: s.tags, summary: 'One access review with its progress', params: ReviewParams, response: { 200: AccessReviewSchema, ...s.errors } },
  }, async (request) => presentAccessReview(await getAccessReview(await contextFor(deps, request), reviewOf(request))));

  app.get(`${s.base}/:reviewId/${s.items}`, {
    schema: {
      tags: s.tags,
      summary: "A page of the review's customers in name order, each with their state now, the decision, who made it and when, and once applied the outcome",
      params: ReviewParams,
      querystring: ReviewItemsQuery,
      response: { 200: ReviewItemPageSchema, ...s.errors },
    },
  }, async (request) => {
    const page = await listAccessReviewItems(await contextFor(deps, request), { ...reviewOf(request), ...(request.query as Static<typeof ReviewItemsQuery>) });
    return { start: page.start, limit: page.limit, total: page.total, isLastPage: page.isLastPage, values: page.values.map(presentReviewItem) };
  });

  app.put(`${s.base}/:reviewId/${s.items}/:accountId`, {
    preValidation: emptyBodyAsObject,
    schema: {
      tags: s.tags,
      summary: 'Mark a customer of an open review Keep (`{"decision": "keep"}`) or Revoke (`"revoke"`), or clear the mark (`null`); nothing changes for the customer until the review is applied (its reviewers, or any admin of the site when it names none)',
      params: ItemParams,
      body: DecideBody,
      response: { 200: ReviewItemSchema, ...s.errors },
    },
  }, async (request) => {
    const { decision } = request.body as Static<typeof DecideBody>;
    const item = await decideAccessReviewItem(await contextFor(deps, request), { ...reviewOf(request), accountId: (request.params as { accountId: string }).accountId, decision });
    return presentReviewItem(item);
  });

  app.post(`${s.base}/:reviewId/complete`, {
    schema: {
      tags: s.tags,
      summary: "Complete an open review now: its Revoke decisions, and the default for the undecided, are applied as one bulk revoke naming the review; customers revoked or deleted meanwhile are skipped",
      params: ReviewParams,
      response: { 200: ReviewAppliedSchema, ...s.errors },
    },
  }, async (request) => {
    const r = await completeAccessReview(await contextFor(deps, request), reviewOf(request));
    return { review: presentAccessReview(r.review), applied: r.applied };
  });

  app.post(`${s.base}/:reviewId/cancel`, {
    schema: { tags: s.tags, summary: "Cancel an open review: nobody's access changes", params: ReviewParams, response: { 200: AccessReviewSchema, ...s.errors } },
  }, async (request) => presentAccessReview(await cancelAccessReview(await contextFor(deps, request), reviewOf(request))));

  app.get(`${s.base}/:reviewId/report.csv`, {
    schema: {
      tags: s.tags,
      summary: 'The review\'s report as CSV (Customer, Email, Decision, Decided by, Decided at, Outcome)',
      params: ReviewParams,
      produces: ['text/csv'],
      response: { 200: Type.Unsafe<Readable>({ type: 'string', description: 'CSV (RFC 4180), streamed' }), ...s.errors },
    },
  }, async (request, reply: FastifyReply) => {
    const { filename, lines } = await exportAccessReviewReport(await contextFor(deps, request), reviewOf(request));
    return reply
      .type('text/csv; charset=utf-8')
      .header('content-disposition', `attachment; filename="${filename}"`)
      .header('cache-control', 'no-store')
      .send(Readable.from(lines));
  });
}
