import { Type } from 'typebox';
import type { App, AppDeps } from '../../deps.js';
import { contextFor } from '../../deps.js';
import { badRequest } from '../../../domain/errors.js';
import { listParam, pageWindow, presentPage } from '../../presenters/rest/common.js';
import { presentComment, presentCustomerRequest, presentSla, presentStatus, presentTransition, userOf } from '../../presenters/rest/requests.js';
import {
  CommentSchema,
  CustomerRequestSchema,
  CustomerRequestStatusSchema,
  CustomerTransitionSchema,
  JsmUserSchema,
  PageSchema,
  SlaInformationSchema,
  errorResponses,
} from '../../schemas/rest.js';
import { raiseRequest } from '../../../use-cases/requests/raise-request.js';
import { getRequest } from '../../../use-cases/requests/get-request.js';
import { addRequestParticipants } from '../../../use-cases/requests/add-request-participants.js';
import { removeRequestParticipants } from '../../../use-cases/requests/remove-request-participants.js';
import { listComments } from '../../../use-cases/requests/list-comments.js';
import { addComment } from '../../../use-cases/requests/add-comment.js';
import { getComment } from '../../../use-cases/requests/get-comment.js';
import { listCustomerRequests } from '../../../use-cases/requests/list-customer-requests.js';
import { listStatusHistory } from '../../../use-cases/requests/list-status-history.js';
import { listRequestTransitions } from '../../../use-cases/requests/list-request-transitions.js';
import { performRequestTransition } from '../../../use-cases/requests/perform-request-transition.js';
import type { SlaState } from '../../../domain/sla.js';
import { getRequestSlas, slasSeenBy } from '../../../use-cases/requests/get-request-slas.js';
import { SEARCH_TEXT_MAX_LENGTH } from '../../../domain/limits.js';
import { getRequestSubscription, setRequestSubscription } from '../../../use-cases/notifications/request-subscription.js';
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

/** Expansions of a listed request that need its participants, comments or the caller's permissions. */
const FULL_EXPANDS = ['participant', 'comment', 'action'];

export function registerRequestRoutes(app: App, deps: AppDeps) {
  app.get('/s/:site/rest/servicedeskapi/request', {
    schema: {
      tags: [JSM],
      summary: "The caller's requests: reported, participated in, shared with their organizations (docs/product.md#rest-customer-requests)",
      params: SiteParams,
      querystring: Type.Object({
        ...PageQuery,
        searchTerm: Type.Optional(Type.String({ maxLength: SEARCH_TEXT_MAX_LENGTH, description: 'words that must all occur in the summary' })),
        requestOwnership: ListParam('OWNED_REQUESTS, PARTICIPATED_REQUESTS, ORGANIZATION (with organizationId), ALL_ORGANIZATIONS, APPROVER, ALL_REQUESTS; default the first two and ALL_ORGANIZATIONS'),
        requestStatus: Type.Optional(Type.String({ description: 'OPEN_REQUESTS, CLOSED_REQUESTS (resolved or closed) or ALL_REQUESTS (default)' })),
        approvalStatus: Type.Optional(Type.String({ description: 'MY_PENDING_APPROVAL or MY_HISTORY_APPROVAL, with requestOwnership=APPROVER' })),
        organizationId: Type.Optional(Type.Integer({ description: 'with requestOwnership=ORGANIZATION' })),
        serviceDeskId: Type.Optional(Type.Integer({ description: 'only requests of this service desk' })),
        requestTypeId: Type.Optional(Type.Integer({ description: 'only requests of this request type (with serviceDeskId)' })),
        expand: ListParam('participant, status, sla, requestType, serviceDesk, attachment, action, comment, comment.renderedBody'),
      }),
      response: { 200: PageSchema(CustomerRequestSchema, 'Page of CustomerRequestDTO'), ...errorResponses },
    },
  }, async (request) => {
    const { site, base } = restSite(request);
    const ctx = await contextFor(deps, request);
    const q = request.query;
    const expand = new Set(listParam(q.expand));
    const page = await listCustomerRequests(ctx, {
      site,
      requestOwnership: listParam(q.requestOwnership),
      requestStatus: q.requestStatus,
      approvalStatus: q.approvalStatus,
      organizationId: q.organizationId,
      searchTerm: q.searchTerm,
      serviceDeskId: q.serviceDeskId,
      requestTypeId: q.requestTypeId,
      ...pageWindow(q),
      full: [...expand].some((e) => FULL_EXPANDS.includes(e) || e.startsWith('comment.')),
      withStatusHistory: expand.has('status'),
    });
    const slas: SlaState[][] = [];
    if (expand.has('sla')) for (const v of page.values) slas.push(await slasSeenBy(ctx, site, v.detail.request));
    return presentPage(request, base, { ...page, values: page.values.map((v, i) => presentCustomerRequest(base, ctx.actor, v.detail, expand, v.permissions, slas[i])) });
  });

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
    const expand = new Set(listParam(request.query.expand));
    const detail = await getRequest(ctx, { site, key: request.params.issueIdOrKey, withStatusHistory: expand.has('status') });
    const slas = expand.has('sla') ? await slasSeenBy(ctx, site, detail.request) : [];
    return presentCustomerRequest(base, ctx.actor, detail, expand, detail.permissions, slas);
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

/** The status history, the transitions and one comment of a request (docs/product.md#rest-customer-requests). */
export function registerRequestStatusRoutes(app: App, deps: AppDeps) {
  app.get('/s/:site/rest/servicedeskapi/request/:issueIdOrKey/status', {
    schema: {
      tags: [JSM],
      summary: 'Every status a request has had, the current one first',
      params: RequestParams,
      querystring: Type.Object(PageQuery),
      response: { 200: PageSchema(CustomerRequestStatusSchema, 'Page of CustomerRequestStatusDTO'), ...errorResponses },
    },
  }, async (request) => {
    const { site, base } = restSite(request);
    const ctx = await contextFor(deps, request);
    const page = await listStatusHistory(ctx, { site, key: request.params.issueIdOrKey, ...pageWindow(request.query) });
    return presentPage(request, base, { ...page, values: page.values.map((e) => presentStatus(e.status, e.since)) });
  });

  app.get('/s/:site/rest/servicedeskapi/request/:issueIdOrKey/sla', {
    schema: {
      tags: [JSM],
      summary: "A request's SLAs now: time to first response and time to resolution, their cycles (the project's agents)",
      params: RequestParams,
      querystring: Type.Object(PageQuery),
      response: { 200: PageSchema(SlaInformationSchema, 'Page of SlaInformationDTO'), ...errorResponses },
    },
  }, async (request) => {
    const { site, base } = restSite(request);
    const ctx = await contextFor(deps, request);
    const slas = await getRequestSlas(ctx, { site, key: request.params.issueIdOrKey });
    const { start: from, limit: size } = pageWindow(request.query);
    const url = `${base}/rest/servicedeskapi/request/${encodeURIComponent(request.params.issueIdOrKey)}`;
    return presentPage(request, base, { start: from, limit: size, isLastPage: from + size >= slas.length, values: slas.slice(from, from + size).map((s) => presentSla(url, s)) });
  });

  app.get('/s/:site/rest/servicedeskapi/request/:issueIdOrKey/sla/:slaMetricId', {
    schema: {
      tags: [JSM],
      summary: 'One SLA of a request by its metric id ("1" time to first response, "2" time to resolution)',
      params: Type.Object({ ...RequestParams.properties, slaMetricId: Type.String({ maxLength: 40 }) }),
      response: { 200: SlaInformationSchema, ...errorResponses },
    },
  }, async (request) => {
    const { site, base } = restSite(request);
    const ctx = await contextFor(deps, request);
    const [sla] = await getRequestSlas(ctx, { site, key: request.params.issueIdOrKey, metricId: request.params.slaMetricId });
    return presentSla(`${base}/rest/servicedeskapi/request/${encodeURIComponent(request.params.issueIdOrKey)}`, sla);
  });

  app.get('/s/:site/rest/servicedeskapi/request/:issueIdOrKey/transition', {
    schema: {
      tags: [JSM],
      summary: "The transitions the caller may perform on a request now (agents: the workflow's; its reporter: resolve or reopen)",
      params: RequestParams,
      querystring: Type.Object(PageQuery),
      response: { 200: PageSchema(CustomerTransitionSchema, 'Page of CustomerTransitionDTO'), ...errorResponses },
    },
  }, async (request) => {
    const { site, base } = restSite(request);
    const ctx = await contextFor(deps, request);
    const page = await listRequestTransitions(ctx, { site, key: request.params.issueIdOrKey, ...pageWindow(request.query) });
    return presentPage(request, base, { ...page, values: page.values.map(presentTransition) });
  });

  app.post('/s/:site/rest/servicedeskapi/request/:issueIdOrKey/transition', {
    preValidation: emptyBodyAsObject,
    schema: {
      tags: [JSM],
      summary: 'Perform a transition GET …/transition offers, with an optional public comment (204)',
      params: RequestParams,
      body: Type.Object(
        {
          id: Type.Optional(Type.String({ description: 'the id of the transition' })),
          additionalComment: Type.Optional(Type.Object({ body: Type.Optional(Type.String()) }, { additionalProperties: false })),
        },
        { additionalProperties: false },
      ),
      response: { 204: Type.Null({ description: 'performed' }), ...errorResponses },
    },
  }, async (request, reply) => {
    const { site } = restSite(request);
    const ctx = await contextFor(deps, request);
    const b = request.body ?? {};
    await performRequestTransition(ctx, { site, key: request.params.issueIdOrKey, transitionId: b.id, comment: b.additionalComment?.body });
    return reply.code(204).send(null);
  });

  app.get('/s/:site/rest/servicedeskapi/request/:issueIdOrKey/comment/:commentId', {
    schema: {
      tags: [JSM],
      summary: 'One comment of a request (an internal note does not exist for customers)',
      params: Type.Object({ ...RequestParams.properties, commentId: Type.String({ description: 'comment id' }) }),
      querystring: Type.Object({ expand: ListParam('attachment, renderedBody') }),
      response: { 200: CommentSchema, ...errorResponses },
    },
  }, async (request) => {
    const { site, base } = restSite(request);
    const ctx = await contextFor(deps, request);
    const { request: req, comment } = await getComment(ctx, { site, key: request.params.issueIdOrKey, commentId: request.params.commentId });
    return presentComment(base, ctx.actor, req, comment, new Set(listParam(request.query.expand)));
  });

  // The caller's mail about a request (docs/product.md#rest-notification-subscription): the same
  // setting as the mail's "Stop mail about this request" link.
  const notification = '/s/:site/rest/servicedeskapi/request/:issueIdOrKey/notification';
  app.get(notification, {
    schema: {
      tags: [JSM],
      summary: "Whether the caller is mailed about the request (its reporter or a participant who has not stopped its mail)",
      params: RequestParams,
      response: { 200: Type.Object({ subscribed: Type.Boolean() }, { description: 'RequestNotificationSubscriptionDTO' }), ...errorResponses },
    },
  }, async (request) => {
    const { site } = restSite(request);
    return getRequestSubscription(await contextFor(deps, request), { site, key: request.params.issueIdOrKey });
  });

  for (const [method, subscribed] of [['PUT', true], ['DELETE', false]] as const) {
    app.route({
      method,
      url: notification,
      schema: {
        tags: [JSM],
        summary: subscribed
          ? "Mail me about this request again (its reporter and participants; others: 400, be added as a participant)"
          : 'Stop mailing me about this request (204 also when I was not mailed about it)',
        params: RequestParams,
        response: { 204: Type.Null({ description: subscribed ? 'subscribed' : 'unsubscribed' }), ...errorResponses },
      },
      handler: async (request, reply) => {
        const { site } = restSite(request);
        await setRequestSubscription(await contextFor(deps, request), { site, key: request.params.issueIdOrKey, subscribed });
        return reply.code(204).send(null);
      },
    });
  }
}
