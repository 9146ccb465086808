import { Readable } from 'node:stream';
import { Type } from 'typebox';
import type { App, AppDeps } from '../../deps.js';
import { contextFor } from '../../deps.js';
import { errorResponses } from '../../schemas/rest.js';
import { NoContent } from '../../schemas/common.js';
import {
  DeclineErasureBody,
  ErasureRequestBody,
  ErasureRequestSchema,
  ErasureReviewPageSchema,
  OwnDataSchema,
  PendingErasureSchema,
} from '../../schemas/own-data.js';
import { ownDataJson, presentErasureRequest, presentErasureReviewItem } from '../../presenters/own-data.js';
import { emptyBodyAsObject, PageQuery, restSite } from './common.js';
import { exportOwnData } from '../../../use-cases/own-data/export-own-data.js';
import { getPendingErasure } from '../../../use-cases/own-data/get-erasure-request.js';
import { requestErasure } from '../../../use-cases/own-data/request-erasure.js';
import { withdrawErasure } from '../../../use-cases/own-data/withdraw-erasure.js';
import { listErasureRequests } from '../../../use-cases/own-data/list-erasure-requests.js';
import { approveErasure } from '../../../use-cases/own-data/approve-erasure.js';
import { declineErasure } from '../../../use-cases/own-data/decline-erasure.js';

// The customer's own data (docs/product.md#own-data): the customer downloads it and asks for
// erasure (their own account id only), the site's admins decide. Portico's REST, API token or
// cookie with CSRF, as the rest of /rest/portico/1.

const PORTICO = 'Portico REST';
const CustomerParams = Type.Object({
  site: Type.String(),
  accountId: Type.String({ minLength: 1, maxLength: 128, description: "the calling customer's own account id" }),
});
const RequestParams = Type.Object({ site: Type.String(), id: Type.String({ minLength: 1, maxLength: 40, description: 'erasure request id' }) });

export function registerOwnDataRoutes(app: App, deps: AppDeps): void {
  app.get('/s/:site/rest/portico/1/customer/:accountId/personal-data', {
    schema: {
      tags: [PORTICO],
      summary: 'Everything Portico holds about the calling customer, as a JSON file (the customer alone; streamed)',
      params: CustomerParams,
      // the file is streamed (a Readable), so Fastify does not serialise it; its shape is OwnDataSchema
      response: { 200: Type.Unsafe<Readable>({ ...OwnDataSchema, description: 'a JSON file (Content-Disposition: attachment), streamed' }), ...errorResponses },
    },
  }, async (request, reply) => {
    const { site } = restSite(request);
    const data = await exportOwnData(await contextFor(deps, request), { site, accountId: request.params.accountId });
    const day = data.head.exportedAt.toISOString().slice(0, 10);
    return reply
      .type('application/json; charset=utf-8')
      .header('content-disposition', `attachment; filename="portico-${site.slug}-my-data-${day}.json"`)
      .send(Readable.from(ownDataJson(data)));
  });

  const erasureUrl = '/s/:site/rest/portico/1/customer/:accountId/erasure-request';
  app.get(erasureUrl, {
    schema: { tags: [PORTICO], summary: "The calling customer's pending erasure request, or null", params: CustomerParams, response: { 200: PendingErasureSchema, ...errorResponses } },
  }, async (request) => {
    const { site } = restSite(request);
    const pending = await getPendingErasure(await contextFor(deps, request), { site, accountId: request.params.accountId });
    return { request: pending && presentErasureRequest(pending) };
  });

  app.post(erasureUrl, {
    preValidation: emptyBodyAsObject,
    schema: {
      tags: [PORTICO],
      summary: 'The calling customer asks for their account to be erased: 201 with the new request, 200 with the one already pending',
      params: CustomerParams,
      body: ErasureRequestBody,
      response: { 200: ErasureRequestSchema, 201: ErasureRequestSchema, ...errorResponses },
    },
  }, async (request, reply) => {
    const { site } = restSite(request);
    const { request: erasure, created } = await requestErasure(await contextFor(deps, request), { site, accountId: request.params.accountId, reason: request.body.reason });
    return reply.code(created ? 201 : 200).send(presentErasureRequest(erasure));
  });

  app.delete(erasureUrl, {
    schema: { tags: [PORTICO], summary: 'The calling customer withdraws their pending erasure request', params: CustomerParams, response: { 204: NoContent, ...errorResponses } },
  }, async (request, reply) => {
    const { site } = restSite(request);
    await withdrawErasure(await contextFor(deps, request), { site, accountId: request.params.accountId });
    return reply.code(204).send(null);
  });

  app.get('/s/:site/rest/portico/1/erasure-request', {
    schema: {
      tags: [PORTICO],
      summary: "The site's pending erasure requests, oldest first (its org admins and site admins)",
      params: Type.Object({ site: Type.String() }),
      querystring: Type.Object(PageQuery),
      response: { 200: ErasureReviewPageSchema, ...errorResponses },
    },
  }, async (request) => {
    const { site } = restSite(request);
    const page = await listErasureRequests(await contextFor(deps, request), { site, start: request.query.start, limit: request.query.limit });
    return { start: page.start, limit: page.limit, total: page.total, isLastPage: page.start + page.values.length >= page.total, values: page.values.map(presentErasureReviewItem) };
  });

  app.post('/s/:site/rest/portico/1/erasure-request/:id/approve', {
    preValidation: emptyBodyAsObject,
    schema: {
      tags: [PORTICO],
      summary: 'Approves an erasure request: the customer is deleted ("Former user (Deactivated)") and told by mail (site admins)',
      params: RequestParams,
      response: { 200: ErasureRequestSchema, ...errorResponses },
    },
  }, async (request) => {
    const { site } = restSite(request);
    return presentErasureRequest(await approveErasure(await contextFor(deps, request), { site, id: request.params.id }));
  });

  app.post('/s/:site/rest/portico/1/erasure-request/:id/decline', {
    preValidation: emptyBodyAsObject,
    schema: {
      tags: [PORTICO],
      summary: 'Declines an erasure request with a note mailed to the customer (site admins)',
      params: RequestParams,
      body: DeclineErasureBody,
      response: { 200: ErasureRequestSchema, ...errorResponses },
    },
  }, async (request) => {
    const { site } = restSite(request);
    return presentErasureRequest(await declineErasure(await contextFor(deps, request), { site, id: request.params.id, note: request.body.note }));
  });
}
