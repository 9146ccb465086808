import { Type } from 'typebox';
import type { App, AppDeps } from '../../deps.js';
import { contextFor } from '../../deps.js';
import { requireSite } from '../../plugins/auth.js';
import { presentPerson } from '../../presenters/people.js';
import { listQueue } from '../../../use-cases/requests/list-queue.js';
import { transitionRequest } from '../../../use-cases/requests/transition-request.js';
import { updateRequestPeople } from '../../../use-cases/requests/update-request-people.js';
import { searchAgentIssues } from '../../../use-cases/filters/search-agent-issues.js';
import { saveFilter } from '../../../use-cases/filters/save-filter.js';
import { listSavedFilters } from '../../../use-cases/filters/list-saved-filters.js';
import { deleteSavedFilter } from '../../../use-cases/filters/delete-saved-filter.js';
import { searchFilterUsers } from '../../../use-cases/filters/search-filter-users.js';
import { getAgentRequest } from '../../../use-cases/requests/get-agent-request.js';
import { commentAsAgent } from '../../../use-cases/requests/comment-as-agent.js';
import { registerOwnCommentRoutes } from '../own-comments.js';
import { listProjectCustomers } from '../../../use-cases/customers/list-project-customers.js';
import { addProjectCustomers } from '../../../use-cases/customers/add-project-customers.js';
import { createProjectCustomer } from '../../../use-cases/customers/create-project-customer.js';
import { inviteProjectCustomers } from '../../../use-cases/onboarding/invite-customers.js';
import { InvitationResultsSchema, InviteCustomersBody } from '../../schemas/signup.js';
import { presentComment } from '../../presenters/comments.js';
import { presentProjectCustomer } from '../../presenters/customers.js';
import { presentAgentRequest, presentFilter, presentIssueRow, presentQueuePage } from '../../presenters/agent.js';
import { apiErrors, NoContent } from '../../schemas/common.js';
import {
  AddedCustomersSchema,
  AgentRequestSchema,
  FilterUsersSchema,
  PeopleChangeResultSchema,
  ProjectCustomersPageSchema,
  QueuePageSchema,
  SavedFilterSchema,
  SavedFiltersSchema,
  SearchPageSchema,
  TransitionResultSchema,
} from '../../schemas/agent.js';
import { ProjectCustomerSchema } from '../../schemas/customers.js';
import { CommentSchema } from '../../schemas/requests.js';
import { OFFSET_SCHEMA } from '../../../domain/limits.js';
import { registerAgentKnowledgeBaseRoutes } from './knowledge-base.js';
import { registerAgentQueueRoutes } from './queues.js';

// The agent workspace's internal JSON API, under /s/{site}/api/agent/… (staff cookie with CSRF for
// writes). Each route: schema, context, one use case, presenter (schemas/agent.ts, presenters/agent.ts).

const SiteParams = Type.Object({ site: Type.String({ maxLength: 63 }) });
const ProjectParams = Type.Object({ site: Type.String({ maxLength: 63 }), key: Type.String({ minLength: 1, maxLength: 20 }) });
const IssueParams = Type.Object({ site: Type.String({ maxLength: 63 }), key: Type.String({ minLength: 1, maxLength: 40 }) });
const AccountId = Type.String({ minLength: 1, maxLength: 128 });

export async function registerAgentRoutes(app: App, deps: AppDeps): Promise<void> {
  const base = '/s/:site/api/agent';
  const hide = { tags: ['agent workspace (internal)'] };

  app.get(`${base}/projects/:key/queue`, {
    schema: {
      ...hide,
      params: ProjectParams,
      querystring: Type.Object({
        start: Type.Optional(Type.Integer(OFFSET_SCHEMA)),
        limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 100 })),
      }),
      response: { 200: QueuePageSchema, ...apiErrors },
    },
  }, async (request) => {
    const ctx = await contextFor(deps, request);
    const page = await listQueue(ctx, { site: requireSite(request), projectKey: request.params.key, start: request.query.start, limit: request.query.limit });
    return presentQueuePage(page, ctx.actor);
  });

  app.put(`${base}/requests/:key/people`, {
    schema: {
      ...hide,
      params: IssueParams,
      body: Type.Object({
        reporter: Type.Optional(AccountId),
        participants: Type.Optional(Type.Array(AccountId, { maxItems: 100 })),
        fields: Type.Optional(Type.Record(
          Type.String({ pattern: '^customfield_[0-9]{1,18}$' }),
          Type.Union([AccountId, Type.Array(AccountId, { maxItems: 100 }), Type.Null()]),
        )),
      }, { additionalProperties: false }),
      response: { 200: PeopleChangeResultSchema, ...apiErrors },
    },
  }, async (request) => {
    const ctx = await contextFor(deps, request);
    const result = await updateRequestPeople(ctx, { site: requireSite(request), issueKey: request.params.key, ...request.body });
    return { key: result.key, changed: result.changed, updated: result.updatedAt?.toISOString() ?? null };
  });

  app.post(`${base}/requests/:key/transitions`, {
    schema: {
      ...hide,
      params: IssueParams,
      body: Type.Object({ status: Type.String({ minLength: 1, maxLength: 40 }) }, { additionalProperties: false }),
      response: { 200: TransitionResultSchema, ...apiErrors },
    },
  }, async (request) => {
    const ctx = await contextFor(deps, request);
    const result = await transitionRequest(ctx, { site: requireSite(request), issueKey: request.params.key, to: request.body.status });
    return { key: result.key, from: result.from, status: result.status, updated: result.updatedAt.toISOString() };
  });

  app.get(`${base}/search`, {
    schema: {
      ...hide,
      params: SiteParams,
      querystring: Type.Object({
        jql: Type.Optional(Type.String({ maxLength: 10_000 })),
        startAt: Type.Optional(Type.Integer(OFFSET_SCHEMA)),
        maxResults: Type.Optional(Type.Integer({ minimum: 1, maximum: 100 })),
      }),
      response: { 200: SearchPageSchema, ...apiErrors },
    },
  }, async (request) => {
    const ctx = await contextFor(deps, request);
    const page = await searchAgentIssues(ctx, {
      site: requireSite(request),
      jql: request.query.jql ?? '',
      startAt: request.query.startAt,
      maxResults: request.query.maxResults,
    });
    return {
      startAt: page.startAt,
      maxResults: page.maxResults,
      isLast: page.isLast,
      issues: page.issues.map((i) => presentIssueRow(i, ctx.actor)),
      searchedAs: page.searched.as,
      jql: page.searched.jql,
    };
  });

  app.get(`${base}/filter-users`, {
    schema: { ...hide, params: SiteParams, querystring: Type.Object({ query: Type.Optional(Type.String({ maxLength: 256 })) }), response: { 200: FilterUsersSchema, ...apiErrors } },
  }, async (request) => {
    const ctx = await contextFor(deps, request);
    const users = await searchFilterUsers(ctx, { site: requireSite(request), query: request.query.query ?? '' });
    return { users: users.map((u) => presentPerson(u, ctx.actor)) };
  });

  app.get(`${base}/filters`, { schema: { ...hide, params: SiteParams, response: { 200: SavedFiltersSchema, ...apiErrors } } }, async (request) => {
    const ctx = await contextFor(deps, request);
    const filters = await listSavedFilters(ctx, { site: requireSite(request) });
    return { values: filters.map(presentFilter) };
  });

  app.post(`${base}/filters`, {
    schema: {
      ...hide,
      params: SiteParams,
      body: Type.Object({
        name: Type.String({ maxLength: 1000 }),
        jql: Type.String({ maxLength: 20_000 }),
      }, { additionalProperties: false }),
      response: { 201: SavedFilterSchema, ...apiErrors },
    },
  }, async (request, reply) => {
    const ctx = await contextFor(deps, request);
    const filter = await saveFilter(ctx, { site: requireSite(request), name: request.body.name, jql: request.body.jql });
    return reply.code(201).send(presentFilter(filter));
  });

  app.delete(`${base}/filters/:id`, {
    schema: { ...hide, params: Type.Object({ site: Type.String({ maxLength: 63 }), id: Type.String({ maxLength: 40 }) }), response: { 204: NoContent, ...apiErrors } },
  }, async (request, reply) => {
    const ctx = await contextFor(deps, request);
    await deleteSavedFilter(ctx, { site: requireSite(request), filterId: request.params.id });
    return reply.code(204).send(null);
  });

  app.get(`${base}/requests/:key`, { schema: { ...hide, params: IssueParams, response: { 200: AgentRequestSchema, ...apiErrors } } }, async (request) => {
    const ctx = await contextFor(deps, request);
    const d = await getAgentRequest(ctx, { site: requireSite(request), key: request.params.key });
    return presentAgentRequest(d, ctx.actor, { editWindowMinutes: deps.config.commentEditWindowMinutes });
  });

  app.post(`${base}/requests/:key/comments`, {
    schema: {
      ...hide,
      params: IssueParams,
      body: Type.Object({ body: Type.String({ maxLength: 40_000, title: 'A comment' }), public: Type.Boolean() }, { additionalProperties: false }),
      response: { 201: CommentSchema, ...apiErrors },
    },
  }, async (request, reply) => {
    const ctx = await contextFor(deps, request);
    const r = await commentAsAgent(ctx, { site: requireSite(request), key: request.params.key, body: request.body.body, public: request.body.public });
    return reply.code(201).send(presentComment(r.comment, ctx.actor, { editWindowMinutes: deps.config.commentEditWindowMinutes }));
  });

  registerOwnCommentRoutes(app, deps, base, hide.tags);

  app.get(`${base}/projects/:key/customers`, {
    schema: {
      ...hide,
      params: ProjectParams,
      querystring: Type.Object({
        query: Type.Optional(Type.String({ maxLength: 256 })),
        start: Type.Optional(Type.Integer(OFFSET_SCHEMA)),
        limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 100 })),
      }),
      response: { 200: ProjectCustomersPageSchema, ...apiErrors },
    },
  }, async (request) => {
    const ctx = await contextFor(deps, request);
    const page = await listProjectCustomers(ctx, {
      site: requireSite(request),
      serviceDeskId: request.params.key,
      query: request.query.query,
      start: request.query.start ?? 0,
      limit: request.query.limit ?? 50,
    });
    return {
      project: { id: page.serviceDesk.projectId, key: page.serviceDesk.projectKey, name: page.serviceDesk.projectName, customerAccess: page.serviceDesk.customerAccess },
      start: page.start,
      limit: page.limit,
      isLastPage: page.isLastPage,
      values: page.values.map((c) => presentProjectCustomer(c, ctx.actor)),
    };
  });

  app.post(`${base}/projects/:key/customers`, {
    schema: {
      ...hide,
      params: ProjectParams,
      body: Type.Object({ accountIds: Type.Array(AccountId, { minItems: 1, maxItems: 1000 }) }, { additionalProperties: false }),
      response: { 200: AddedCustomersSchema, ...apiErrors },
    },
  }, async (request) => {
    const ctx = await contextFor(deps, request);
    return addProjectCustomers(ctx, { site: requireSite(request), serviceDeskId: request.params.key, accountIds: request.body.accountIds });
  });

  app.post(`${base}/projects/:key/customers/new`, {
    schema: {
      ...hide,
      params: ProjectParams,
      body: Type.Object(
        {
          displayName: Type.String({ maxLength: 1000 }),
          email: Type.String({ maxLength: 1000 }),
          accessUntil: Type.Optional(Type.Union([Type.String({ maxLength: 64 }), Type.Null()], { description: 'ISO 8601: the access ends then' })),
        },
        { additionalProperties: false },
      ),
      response: { 201: ProjectCustomerSchema, ...apiErrors },
    },
  }, async (request, reply) => {
    const ctx = await contextFor(deps, request);
    const customer = await createProjectCustomer(ctx, {
      site: requireSite(request),
      projectKey: request.params.key,
      displayName: request.body.displayName,
      email: request.body.email,
      accessUntil: request.body.accessUntil ?? null,
    });
    return reply.code(201).send(presentProjectCustomer(customer, ctx.actor));
  });

  app.post(`${base}/projects/:key/invitations`, {
    schema: { ...hide, params: ProjectParams, body: InviteCustomersBody, response: { 200: InvitationResultsSchema, ...apiErrors } },
  }, async (request) => {
    const ctx = await contextFor(deps, request);
    const invited = await inviteProjectCustomers(ctx, { site: requireSite(request), serviceDeskId: request.params.key, emails: request.body.emails });
    return { serviceDeskId: invited.project.id, projectKey: invited.project.key, results: invited.results };
  });

  registerAgentKnowledgeBaseRoutes(app, deps);
  registerAgentQueueRoutes(app, deps, base, hide.tags);
}
