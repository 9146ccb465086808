import { Type } from 'typebox';
import type { App, AppDeps } from '../../deps.js';
import { contextFor } from '../../deps.js';
import { badRequest } from '../../../domain/errors.js';
import { listParam, pageWindow, presentPage } from '../../presenters/rest/common.js';
import { presentComment, presentCustomerRequest, userOf } from '../../presenters/rest/requests.js';
import { CommentSchema, CustomerRequestSchema, JsmUserSchema, PageSchema, errorResponses } from '../../schemas/rest.js';
import { raiseRequest } from '../../../use-cases/requests/raise-request.js';
import { getRequest } from '../../../use-cases/requests/get-request.js';
import { addRequestParticipants } from '../../../use-cases/requests/add-request-participants.js';
import { removeRequestParticipants } from '../../../use-cases/requests/remove-request-participants.js';
import { listComments } from '../../../use-cases/requests/list-comments.js';
import { addComment } from '../../../use-cases/requests/add-comment.js';
import { JSM, ListParam, PageQuery, SiteParams, restSite, emptyBodyAsObject } from './common.js';

const RequestParams = Type.Object({ site: Type.String(), issueIdOrKey: Type.String({ description: 'issue id (10001) or key (HELP-1)' }) });

const ParticipantsBody = Type.Object(
  {
    accountIds: Type.Optional(Type.Array(Type.String())),
    usernames: Type.Optional(Type.Array(Type.String(), { description: 'deprecated; not supported (account ids only)' })),
  },
  { additionalProperties: false },
);

/** The account ids of a participant change: at least one, and no usernames (Portico has none). */
function participantIds(body: { accountIds?: string[]; usernames?: string[] } | undefined): string[] {
  if (body?.usernames?.length) throw badRequest("'usernames' is not supported; send 'accountIds'.", { usernames: "Send 'accountIds' instead." });
  if (!body?.accountIds?.length) throw badRequest("'accountIds' must list at least one account.", { accountIds: 'List at least one account id.' });
  return body.accountIds;
}

/** Adding and removing participants take the same body and answer a page of UserDTO; only the summary differs. */
function participantsChange(summary: string) {
  return {
    preValidation: emptyBodyAsObject,
    schema: {
      tags: [JSM],
      summary,
      params: RequestParams,
      body: ParticipantsBody,
      response: { 200: PageSchema(JsmUserSchema, 'Page of UserDTO'), ...errorResponses },
    },
  };
}

export function registerRequestRoutes(app: App, deps: AppDeps) {
  app.post('/s/:site/rest/servicedeskapi/request', {
    preValidation: emptyBodyAsObject,
    schema: {
      tags: [JSM],
      summary: 'Raise a request (revoked people cannot be reporter, participant or picker value)',
      params: SiteParams,
      body: Type.Object(
        {
          serviceDeskId: Type.Optional(Type.String()),
          requestTypeId: Type.Optional(Type.String()),
          requestFieldValues: Type.Optional(Type.Record(Type.String(), Type.Any(), { description: 'summary, description, customfield_<id>: accountId or [accountId]' })),
          raiseOnBehalfOf: Type.Optional(Type.String({ description: 'accountId or email of the reporter (agents and admins)' })),
          requestParticipants: Type.Optional(Type.Array(Type.String())),
          channel: Type.Optional(Type.String()),
          isAdfRequest: Type.Optional(Type.Boolean({ description: 'Portico stores plain text: only false is supported' })),
          form: Type.Optional(Type.Object({}, { additionalProperties: true, description: 'not supported' })),
        },
        { additionalProperties: false },
      ),
      response: { 201: CustomerRequestSchema, ...errorResponses },
    },
  }, async (request, reply) => {
    const { site, base } = restSite(request);
    const b = request.body ?? {};
    const ctx = await contextFor(deps, request);
    if (!b.serviceDeskId?.trim()) throw badRequest("'serviceDeskId' is required.", { serviceDeskId: "'serviceDeskId' is required." });
    if (!b.requestTypeId?.trim()) throw badRequest("'requestTypeId' is required.", { requestTypeId: "'requestTypeId' is required." });
    if (b.isAdfRequest) throw badRequest('Requests in Atlassian Document Format are not supported; send plain text.', { isAdfRequest: 'Send plain text.' });
    if (b.form !== undefined) throw badRequest('Forms are not supported.', { form: 'Forms are not supported.' });
    const detail = await raiseRequest(ctx, {
      site,
      projectId: b.serviceDeskId.trim(),
      requestTypeId: b.requestTypeId.trim(),
      fields: b.requestFieldValues ?? {},
      participants: b.requestParticipants,
      onBehalfOf: b.raiseOnBehalfOf,
    });
    return reply.code(201).send(presentCustomerRequest(base, ctx.actor, detail, new Set()));
  });

  app.get('/s/:site/rest/servicedeskapi/request/:issueIdOrKey', {
    schema: {
      tags: [JSM],
      summary: 'One request the caller may see',
      params: RequestParams,
      querystring: Type.Object({ expand: ListParam('participant, status, sla, requestType, serviceDesk, attachment, action, comment, comment.renderedBody') }),
      response: { 200: CustomerRequestSchema, ...errorResponses },
    },
  }, async (request) => {
    const { site, base } = restSite(request);
    const ctx = await contextFor(deps, request);
    const detail = await getRequest(ctx, { site, key: request.params.issueIdOrKey });
    return presentCustomerRequest(base, ctx.actor, detail, new Set(listParam(request.query.expand)), detail.permissions);
  });

  app.get('/s/:site/rest/servicedeskapi/request/:issueIdOrKey/participant', {
    schema: {
      tags: [JSM],
      summary: 'Participants of a request',
      params: RequestParams,
      querystring: Type.Object(PageQuery),
      response: { 200: PageSchema(JsmUserSchema, 'Page of UserDTO'), ...errorResponses },
    },
  }, async (request) => {
    const { site, base } = restSite(request);
    const ctx = await contextFor(deps, request);
    const detail = await getRequest(ctx, { site, key: request.params.issueIdOrKey });
    const { start, limit } = pageWindow(request.query);
    const all = detail.participants;
    return presentPage(request, base, {
      start,
      limit,
      isLastPage: start + limit >= all.length,
      values: all.slice(start, start + limit).map((a) => userOf(base, ctx.actor, a)),
    });
  });

  app.post('/s/:site/rest/servicedeskapi/request/:issueIdOrKey/participant', participantsChange('Add participants (200 with the participants added)'), async (request) => {
    const { site, base } = restSite(request);
    const accountIds = participantIds(request.body);
    const ctx = await contextFor(deps, request);
    const result = await addRequestParticipants(ctx, { site, key: request.params.issueIdOrKey, accountIds });
    return presentPage(request, base, { start: 0, limit: Math.max(50, result.added.length), isLastPage: true, values: result.added.map((a) => userOf(base, ctx.actor, a)) });
  });

  app.delete('/s/:site/rest/servicedeskapi/request/:issueIdOrKey/participant', participantsChange('Remove participants (200 with the first page of those remaining)'), async (request) => {
    const { site, base } = restSite(request);
    const accountIds = participantIds(request.body);
    const ctx = await contextFor(deps, request);
    const result = await removeRequestParticipants(ctx, { site, key: request.params.issueIdOrKey, accountIds });
    const limit = 50;
    return presentPage(request, base, {
      start: 0,
      limit,
      isLastPage: result.participants.length <= limit,
      values: result.participants.slice(0, limit).map((a) => userOf(base, ctx.actor, a)),
    });
  });

  app.get('/s/:site/rest/servicedeskapi/request/:issueIdOrKey/comment', {
    schema: {
      tags: [JSM],
      summary: 'Comments of a request (customers never receive internal ones)',
      params: RequestParams,
      querystring: Type.Object({
        ...PageQuery,
        public: Type.Optional(Type.Boolean({ description: 'include public comments (default true)' })),
        internal: Type.Optional(Type.Boolean({ description: 'include internal comments (default true; agents only)' })),
        expand: ListParam('attachment, renderedBody'),
      }),
      response: { 200: PageSchema(CommentSchema, 'Page of CommentDTO'), ...errorResponses },
    },
  }, async (request) => {
    const { site, base } = restSite(request);
    const ctx = await contextFor(deps, request);
    const q = request.query;
    const page = await listComments(ctx, { site, key: request.params.issueIdOrKey, public: q.public, internal: q.internal, ...pageWindow(q) });
    const expand = new Set(listParam(q.expand));
    return presentPage(request, base, { ...page, values: page.values.map((c) => presentComment(base, ctx.actor, page.request, c, expand)) });
  });

  app.post('/s/:site/rest/servicedeskapi/request/:issueIdOrKey/comment', {
    preValidation: emptyBodyAsObject,
    schema: {
      tags: [JSM],
      summary: 'Add a comment (public: false is an internal note, agents only)',
      params: RequestParams,
      body: Type.Object({ body: Type.Optional(Type.String()), public: Type.Optional(Type.Boolean()) }, { additionalProperties: false }),
      response: { 201: CommentSchema, ...errorResponses },
    },
  }, async (request, reply) => {
    const { site, base } = restSite(request);
    const ctx = await contextFor(deps, request);
    const b = request.body ?? {};
    if (b.public === undefined) throw badRequest("'public' is required: true for a reply to the customer, false for an internal note.", { public: "'public' is required." });
    const { request: req, comment } = await addComment(ctx, { site, key: request.params.issueIdOrKey, body: b.body, public: b.public });
    return reply.code(201).send(presentComment(base, ctx.actor, req, comment, new Set()));
  });
}
