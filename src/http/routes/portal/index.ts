import { Type } from 'typebox';
import type { App, AppDeps } from '../../deps.js';
import { callerOrVisitorContext, contextFor } from '../../deps.js';
import { requireSite } from '../../plugins/auth.js';
import { presentPerson } from '../../presenters/people.js';
import { registerOwnCommentRoutes } from '../own-comments.js';
import { presentComment } from '../../presenters/comments.js';
import {
  presentArticle,
  presentArticleSummary,
  presentField,
  presentPortal,
  presentRequest,
  presentRequestSummary,
  presentRequestType,
} from '../../presenters/portal.js';
import { apiErrors, NoContent } from '../../schemas/common.js';
import {
  ArticlePageSchema,
  ArticleSchema,
  CommentPageSchema,
  MyRequestsPageSchema,
  ParticipantsAddedSchema,
  ParticipantsSchema,
  PortalsSchema,
  PortalWithRequestTypesSchema,
  RequestTypeFormSchema,
  RequestViewSchema,
  SiteNameSchema,
} from '../../schemas/portal.js';
import { CommentSchema } from '../../schemas/requests.js';
import { listPortals } from '../../../use-cases/help-center/list-portals.js';
import { getPortal } from '../../../use-cases/help-center/get-portal.js';
import { getRequestType } from '../../../use-cases/help-center/get-request-type.js';
import { raiseRequest } from '../../../use-cases/requests/raise-request.js';
import { getRequest } from '../../../use-cases/requests/get-request.js';
import { listMyRequests } from '../../../use-cases/requests/list-my-requests.js';
import { addRequestParticipants } from '../../../use-cases/requests/add-request-participants.js';
import { removeRequestParticipants } from '../../../use-cases/requests/remove-request-participants.js';
import { addComment } from '../../../use-cases/requests/add-comment.js';
import { transitionOwnRequest } from '../../../use-cases/requests/transition-own-request.js';
import { TransitionResultSchema } from '../../schemas/agent.js';
import { listComments } from '../../../use-cases/requests/list-comments.js';
import { KB_QUERY_MAX_LENGTH, searchKbArticles } from '../../../use-cases/knowledge-base/search-kb-articles.js';
import { getKbArticle } from '../../../use-cases/knowledge-base/get-kb-article.js';
import { OFFSET_SCHEMA } from '../../../domain/limits.js';

// The help center's internal JSON API, under /s/{site}/api/portal/… (customer cookie of the site,
// or a staff cookie; CSRF header on writes). Responses: schemas/portal.ts, presenters/portal.ts.

const tags = ['help center (internal)'];
const Site = { site: Type.String({ minLength: 1, maxLength: 63 }) };
const SiteParams = Type.Object(Site);
const PortalParams = Type.Object({ ...Site, projectId: Type.String({ minLength: 1, maxLength: 20 }) });
const RequestTypeParams = Type.Object({ ...Site, projectId: Type.String({ minLength: 1, maxLength: 20 }), requestTypeId: Type.String({ minLength: 1, maxLength: 20 }) });
const RequestParams = Type.Object({ ...Site, key: Type.String({ minLength: 1, maxLength: 40 }) });
const ArticleParams = Type.Object({ ...Site, id: Type.String({ minLength: 1, maxLength: 20 }) });
const AccountId = Type.String({ minLength: 1, maxLength: 128 });
const UserValue = Type.Union([AccountId, Type.Array(AccountId, { maxItems: 50 }), Type.Null()]);
const Paging = {
  start: Type.Optional(Type.Integer(OFFSET_SCHEMA)),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 100 })),
};

export async function registerPortalRoutes(app: App, deps: AppDeps): Promise<void> {
  const base = '/s/:site/api/portal';

  // A help center's name is public (it heads its login page), like the site's address.
  app.get(`${base}/site`, { schema: { tags, summary: 'The help center\'s public name', params: SiteParams, response: { 200: SiteNameSchema, ...apiErrors } } }, async (request) => {
    const site = requireSite(request);
    return { slug: site.slug, name: site.name };
  });

  app.get(`${base}/portals`, { schema: { tags, summary: 'Portals the caller may use', params: SiteParams, response: { 200: PortalsSchema, ...apiErrors } } }, async (request) => {
    const site = requireSite(request);
    const { portals } = await listPortals(await callerOrVisitorContext(deps, request), { site });
    return { values: portals.map(presentPortal) };
  });

  app.get(`${base}/portals/:projectId`, { schema: { tags, summary: 'A portal and its request types', params: PortalParams, response: { 200: PortalWithRequestTypesSchema, ...apiErrors } } }, async (request) => {
    const site = requireSite(request);
    const r = await getPortal(await callerOrVisitorContext(deps, request), { site, projectId: request.params.projectId });
    return {
      portal: presentPortal(r.portal),
      requestTypes: r.requestTypes.map(presentRequestType),
      groups: r.groups.map((g) => ({ id: g.id, name: g.name, requestTypeIds: g.requestTypeIds })),
    };
  });

  app.get(`${base}/portals/:projectId/request-types/:requestTypeId`, {
    schema: { tags, summary: 'The form of a request type', params: RequestTypeParams, response: { 200: RequestTypeFormSchema, ...apiErrors } },
  }, async (request) => {
    const site = requireSite(request);
    const r = await getRequestType(await contextFor(deps, request), { site, projectId: request.params.projectId, requestTypeId: request.params.requestTypeId });
    return {
      portal: presentPortal(r.portal),
      requestType: presentRequestType(r.requestType),
      fields: r.fields.map(presentField),
      canRaiseOnBehalfOf: r.canRaiseOnBehalfOf,
      canAddRequestParticipants: r.canAddRequestParticipants,
    };
  });

  app.post(`${base}/requests`, {
    schema: {
      tags,
      summary: 'Raise a request',
      params: SiteParams,
      body: Type.Object({
        projectId: Type.String({ minLength: 1, maxLength: 20 }),
        requestTypeId: Type.String({ minLength: 1, maxLength: 20 }),
        fields: Type.Record(Type.String({ maxLength: 64 }), Type.Union([Type.String({ maxLength: 40_000 }), UserValue])),
        participants: Type.Optional(Type.Array(AccountId, { maxItems: 50 })),
        onBehalfOf: Type.Optional(Type.String({ minLength: 1, maxLength: 320 })),
      }, { additionalProperties: false }),
      response: { 201: RequestViewSchema, ...apiErrors },
    },
  }, async (request, reply) => {
    const site = requireSite(request);
    const b = request.body;
    const ctx = await contextFor(deps, request);
    const detail = await raiseRequest(ctx, {
      site, projectId: b.projectId, requestTypeId: b.requestTypeId, fields: b.fields, participants: b.participants, onBehalfOf: b.onBehalfOf,
    });
    return reply.code(201).send(presentRequest(detail, ctx.actor));
  });

  app.get(`${base}/requests`, {
    schema: {
      tags,
      summary: 'My requests: created by me, shared with me, or both',
      params: SiteParams,
      querystring: Type.Object({
        filter: Type.Optional(Type.Union([Type.Literal('created'), Type.Literal('shared'), Type.Literal('all')])),
        projectId: Type.Optional(Type.String({ pattern: '^[1-9][0-9]{0,17}$' })),
        ...Paging,
      }),
      response: { 200: MyRequestsPageSchema, ...apiErrors },
    },
  }, async (request) => {
    const site = requireSite(request);
    const ctx = await contextFor(deps, request);
    const page = await listMyRequests(ctx, { site, ...request.query });
    return {
      start: page.start,
      limit: page.limit,
      total: page.total,
      isLastPage: page.isLastPage,
      values: page.values.map((r) => presentRequestSummary(r, ctx.actor)),
    };
  });

  app.get(`${base}/requests/:key`, { schema: { tags, summary: 'A request', params: RequestParams, response: { 200: RequestViewSchema, ...apiErrors } } }, async (request) => {
    const site = requireSite(request);
    const ctx = await contextFor(deps, request);
    const r = await getRequest(ctx, { site, key: request.params.key });
    return presentRequest(r, ctx.actor, r.permissions, { editWindowMinutes: deps.config.commentEditWindowMinutes });
  });

  const ParticipantsBody = Type.Object({ accountIds: Type.Array(AccountId, { minItems: 1, maxItems: 50 }) }, { additionalProperties: false });

  app.post(`${base}/requests/:key/participants`, {
    schema: { tags, summary: 'Share a request with more people', params: RequestParams, body: ParticipantsBody, response: { 200: ParticipantsAddedSchema, ...apiErrors } },
  }, async (request) => {
    const site = requireSite(request);
    const ctx = await contextFor(deps, request);
    const r = await addRequestParticipants(ctx, { site, key: request.params.key, accountIds: request.body.accountIds });
    return { added: r.added.map((p) => presentPerson(p, ctx.actor)), participants: r.participants.map((p) => presentPerson(p, ctx.actor)) };
  });

  app.delete(`${base}/requests/:key/participants`, {
    schema: { tags, summary: 'Remove request participants', params: RequestParams, body: ParticipantsBody, response: { 200: ParticipantsSchema, ...apiErrors } },
  }, async (request) => {
    const site = requireSite(request);
    const ctx = await contextFor(deps, request);
    const r = await removeRequestParticipants(ctx, { site, key: request.params.key, accountIds: request.body.accountIds });
    return { participants: r.participants.map((p) => presentPerson(p, ctx.actor)) };
  });

  app.get(`${base}/requests/:key/comments`, {
    schema: { tags, summary: 'Comments of a request (customers: public only)', params: RequestParams, querystring: Type.Object(Paging), response: { 200: CommentPageSchema, ...apiErrors } },
  }, async (request) => {
    const site = requireSite(request);
    const ctx = await contextFor(deps, request);
    const page = await listComments(ctx, { site, key: request.params.key, ...request.query });
    return { start: page.start, limit: page.limit, total: page.total, isLastPage: page.isLastPage, values: page.values.map((c) => presentComment(c, ctx.actor)) };
  });

  app.post(`${base}/requests/:key/comments`, {
    schema: {
      tags,
      summary: 'Add a comment (public unless an agent asks for an internal note)',
      params: RequestParams,
      body: Type.Object({ body: Type.String({ maxLength: 40_000, title: 'A comment' }), public: Type.Optional(Type.Boolean()) }, { additionalProperties: false }),
      response: { 201: CommentSchema, ...apiErrors },
    },
  }, async (request, reply) => {
    const site = requireSite(request);
    const ctx = await contextFor(deps, request);
    const r = await addComment(ctx, { site, key: request.params.key, body: request.body.body, public: request.body.public ?? true });
    return reply.code(201).send(presentComment(r.comment, ctx.actor, { editWindowMinutes: deps.config.commentEditWindowMinutes }));
  });

  registerOwnCommentRoutes(app, deps, base, tags);

  app.post(`${base}/requests/:key/transitions`, {
    schema: {
      tags,
      summary: 'Mark your request resolved, or reopen it while it is resolved (its reporter)',
      params: RequestParams,
      body: Type.Object({ status: Type.String({ minLength: 1, maxLength: 40 }) }, { additionalProperties: false }),
      response: { 200: TransitionResultSchema, ...apiErrors },
    },
  }, async (request) => {
    const ctx = await contextFor(deps, request);
    const r = await transitionOwnRequest(ctx, { site: requireSite(request), key: request.params.key, to: request.body.status });
    return { key: r.key, from: r.from, status: r.status, updated: r.updatedAt.toISOString() };
  });

  app.get(`${base}/kb`, {
    schema: {
      tags,
      summary: 'Search knowledge-base articles by words in title and body',
      params: SiteParams,
      querystring: Type.Object({
        query: Type.Optional(Type.String({ maxLength: KB_QUERY_MAX_LENGTH })),
        projectId: Type.Optional(Type.String({ minLength: 1, maxLength: 20 })),
        ...Paging,
      }),
      response: { 200: ArticlePageSchema, ...apiErrors },
    },
  }, async (request) => {
    const site = requireSite(request);
    const page = await searchKbArticles(await callerOrVisitorContext(deps, request), { site, ...request.query });
    return {
      start: page.start,
      limit: page.limit,
      total: page.total,
      isLastPage: page.isLastPage,
      values: page.values.map(presentArticleSummary),
    };
  });

  app.get(`${base}/kb/:id`, { schema: { tags, summary: 'A knowledge-base article', params: ArticleParams, response: { 200: ArticleSchema, ...apiErrors } } }, async (request) => {
    const site = requireSite(request);
    const a = await getKbArticle(await callerOrVisitorContext(deps, request), { site, id: request.params.id });
    return presentArticle(a);
  });
}
