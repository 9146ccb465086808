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
import type { SavedFilter } from '../../../use-cases/filters/save-filter.js';
import { getAgentRequest } from '../../../use-cases/requests/get-agent-request.js';
import { commentAsAgent } from '../../../use-cases/requests/comment-as-agent.js';
import { listProjectCustomers } from '../../../use-cases/customers/list-project-customers.js';
import { addProjectCustomers } from '../../../use-cases/customers/add-project-customers.js';
import { createProjectCustomer } from '../../../use-cases/customers/create-project-customer.js';
import { presentComment } from '../../presenters/comments.js';
import type { AccountStatus } from '../../../domain/account-state.js';
import type { Actor } from '../../../domain/policies.js';
import { OFFSET_SCHEMA } from '../../../domain/limits.js';

// The agent workspace's internal JSON API, under /s/{site}/api/agent/… (staff cookie with CSRF for
// writes). Each route: schema, context, one use case, present people through presentPerson.

const SiteParams = Type.Object({ site: Type.String({ maxLength: 63 }) });
const ProjectParams = Type.Object({ site: Type.String({ maxLength: 63 }), key: Type.String({ minLength: 1, maxLength: 20 }) });
const IssueParams = Type.Object({ site: Type.String({ maxLength: 63 }), key: Type.String({ minLength: 1, maxLength: 40 }) });
const AccountId = Type.String({ minLength: 1, maxLength: 128 });

/** A customer row of the project's customers page: the person plus the status the admin list uses. */
const presentCustomer = (c: { accountId: string; displayName: string | null; email: string | null; status: AccountStatus }, viewer: Actor) => ({
  ...presentPerson(c, viewer),
  status: c.status,
  statusLabel: c.status === 'active' ? 'Active' : 'Access revoked',
});

const presentFilter = (f: SavedFilter) => ({ id: f.id, name: f.name, jql: f.jql, createdAt: f.createdAt.toISOString() });

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
    },
  }, async (request) => {
    const ctx = await contextFor(deps, request);
    const page = await listQueue(ctx, { site: requireSite(request), projectKey: request.params.key, start: request.query.start, limit: request.query.limit });
    return {
      project: page.project,
      start: page.start,
      limit: page.limit,
      total: page.total,
      isLastPage: page.isLastPage,
      values: page.values.map((r) => ({
        id: r.id,
        key: r.key,
        summary: r.summary,
        status: r.status,
        created: r.createdAt.toISOString(),
        updated: r.updatedAt.toISOString(),
        reporter: presentPerson(r.reporter, ctx.actor),
      })),
    };
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
      issues: page.issues.map((i) => ({
        id: i.id,
        key: i.key,
        summary: i.summary,
        status: i.status,
        created: i.created.toISOString(),
        updated: i.updated.toISOString(),
        project: i.project,
        requestType: i.requestType,
        reporter: presentPerson(i.reporter.account, ctx.actor),
      })),
    };
  });

  app.get(`${base}/filter-users`, {
    schema: { ...hide, params: SiteParams, querystring: Type.Object({ query: Type.Optional(Type.String({ maxLength: 256 })) }) },
  }, async (request) => {
    const ctx = await contextFor(deps, request);
    const users = await searchFilterUsers(ctx, { site: requireSite(request), query: request.query.query ?? '' });
    return { users: users.map((u) => presentPerson(u, ctx.actor)) };
  });

  app.get(`${base}/filters`, { schema: { ...hide, params: SiteParams } }, async (request) => {
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
    },
  }, async (request, reply) => {
    const ctx = await contextFor(deps, request);
    const filter = await saveFilter(ctx, { site: requireSite(request), name: request.body.name, jql: request.body.jql });
    return reply.code(201).send(presentFilter(filter));
  });

  app.delete(`${base}/filters/:id`, {
    schema: { ...hide, params: Type.Object({ site: Type.String({ maxLength: 63 }), id: Type.String({ maxLength: 40 }) }) },
  }, async (request, reply) => {
    const ctx = await contextFor(deps, request);
    await deleteSavedFilter(ctx, { site: requireSite(request), filterId: request.params.id });
    return reply.code(204).send();
  });

  app.get(`${base}/requests/:key`, { schema: { ...hide, params: IssueParams } }, async (request) => {
    const ctx = await contextFor(deps, request);
    const d = await getAgentRequest(ctx, { site: requireSite(request), key: request.params.key });
    const r = d.request;
    return {
      id: r.id,
      key: r.key,
      summary: r.summary,
      description: r.description,
      status: r.status,
      created: r.createdAt.toISOString(),
      updated: r.updatedAt.toISOString(),
      project: { id: r.projectId, key: r.projectKey, name: r.projectName },
      requestType: { id: r.requestTypeId, name: r.requestTypeName },
      reporter: presentPerson(d.reporter, ctx.actor),
      participants: d.participants.map((p) => presentPerson(p, ctx.actor)),
      fields: d.pickerValues.map((f) => ({ fieldKey: f.fieldKey, label: f.label, type: f.type, values: f.values.map((v) => presentPerson(v, ctx.actor)) })),
      comments: d.comments.map((c) => presentComment(c, ctx.actor)),
      transitions: d.transitions.map((t) => ({ to: t.to, name: t.name })),
    };
  });

  app.post(`${base}/requests/:key/comments`, {
    schema: {
      ...hide,
      params: IssueParams,
      body: Type.Object({ body: Type.String({ maxLength: 40_000 }), public: Type.Boolean() }, { additionalProperties: false }),
    },
  }, async (request, reply) => {
    const ctx = await contextFor(deps, request);
    const r = await commentAsAgent(ctx, { site: requireSite(request), key: request.params.key, body: request.body.body, public: request.body.public });
    return reply.code(201).send(presentComment(r.comment, ctx.actor));
  });

  app.get(`${base}/projects/:key/customers`, {
    schema: {
      ...hide,
      params: ProjectParams,
      querystring: Type.Object({
        query: Type.Optional(Type.String({ maxLength: 256 })),
        start: Type.Optional(Type.Integer(OFFSET_SCHEMA)),
        limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 100 })),
      }),
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
      values: page.values.map((c) => presentCustomer(c, ctx.actor)),
    };
  });

  app.post(`${base}/projects/:key/customers`, {
    schema: {
      ...hide,
      params: ProjectParams,
      body: Type.Object({ accountIds: Type.Array(AccountId, { minItems: 1, maxItems: 1000 }) }, { additionalProperties: false }),
    },
  }, async (request) => {
    const ctx = await contextFor(deps, request);
    return addProjectCustomers(ctx, { site: requireSite(request), serviceDeskId: request.params.key, accountIds: request.body.accountIds });
  });

  app.post(`${base}/projects/:key/customers/new`, {
    schema: {
      ...hide,
      params: ProjectParams,
      body: Type.Object({ displayName: Type.String({ maxLength: 1000 }), email: Type.String({ maxLength: 1000 }) }, { additionalProperties: false }),
    },
  }, async (request, reply) => {
    const ctx = await contextFor(deps, request);
    const customer = await createProjectCustomer(ctx, {
      site: requireSite(request),
      projectKey: request.params.key,
      displayName: request.body.displayName,
      email: request.body.email,
    });
    return reply.code(201).send(presentCustomer(customer, ctx.actor));
  });
}
