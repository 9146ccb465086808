import { Type } from 'typebox';
import type { App, AppDeps } from '../../deps.js';
import { contextFor } from '../../deps.js';
import { listParam, pageWindow, presentPage } from '../../presenters/rest/common.js';
import { presentCreateMeta, presentRequestType, presentRequestTypeGroup, presentServiceDesk } from '../../presenters/rest/service-desk.js';
import { presentJsmUser } from '../../presenters/rest/users.js';
import {
  CreateMetaSchema,
  JsmUserSchema,
  PageSchema,
  RequestTypeGroupSchema,
  RequestTypeSchema,
  ServiceDeskSchema,
  errorResponses,
} from '../../schemas/rest.js';
import { listServiceDesks } from '../../../use-cases/help-center/list-service-desks.js';
import { getServiceDesk } from '../../../use-cases/help-center/get-service-desk.js';
import { listRequestTypes } from '../../../use-cases/help-center/list-request-types.js';
import { getRequestTypeFields } from '../../../use-cases/help-center/get-request-type-fields.js';
import { getDeskRequestType } from '../../../use-cases/help-center/get-desk-request-type.js';
import { listRequestTypeGroups } from '../../../use-cases/help-center/list-request-type-groups.js';
import { listProjectCustomers } from '../../../use-cases/customers/list-project-customers.js';
import { addProjectCustomers } from '../../../use-cases/customers/add-project-customers.js';
import { removeProjectCustomers } from '../../../use-cases/customers/remove-project-customers.js';
import { createCustomer } from '../../../use-cases/customers/create-customer.js';
import { mayReadEmailOf } from '../../../domain/policies.js';
import { JSM, ListParam, PageQuery, SiteParams, restSite, emptyBodyAsObject } from './common.js';
import { SEARCH_TEXT_MAX_LENGTH } from '../../../domain/limits.js';

const DeskParams = Type.Object({
  site: Type.String(),
  serviceDeskId: Type.String({ description: 'service desk id, project id or project key' }),
});

const CustomersBody = Type.Object(
  {
    accountIds: Type.Optional(Type.Array(Type.String(), { description: 'account ids of customers of the site' })),
    usernames: Type.Optional(Type.Array(Type.String(), { description: 'deprecated; not supported (account ids only)' })),
  },
  { additionalProperties: false },
);

function accountIdsOf(body: { accountIds?: string[]; usernames?: string[] } | undefined): string[] {
  return body?.accountIds ?? [];
}

export function registerServiceDeskRoutes(app: App, deps: AppDeps) {
  app.get('/s/:site/rest/servicedeskapi/servicedesk', {
    schema: {
      tags: [JSM],
      summary: 'Service desks the caller may use or work',
      params: SiteParams,
      querystring: Type.Object(PageQuery),
      response: { 200: PageSchema(ServiceDeskSchema, 'Page of ServiceDeskDTO'), ...errorResponses },
    },
  }, async (request) => {
    const { site, base } = restSite(request);
    const page = await listServiceDesks(await contextFor(deps, request), { site, ...pageWindow(request.query) });
    return presentPage(request, base, { ...page, values: page.values.map((d) => presentServiceDesk(base, d)) });
  });

  app.get('/s/:site/rest/servicedeskapi/servicedesk/:serviceDeskId', {
    schema: {
      tags: [JSM],
      summary: 'One service desk',
      params: DeskParams,
      response: { 200: ServiceDeskSchema, ...errorResponses },
    },
  }, async (request) => {
    const { site, base } = restSite(request);
    const desk = await getServiceDesk(await contextFor(deps, request), { site, serviceDeskId: request.params.serviceDeskId });
    return presentServiceDesk(base, desk);
  });

  app.get('/s/:site/rest/servicedeskapi/servicedesk/:serviceDeskId/requesttype', {
    schema: {
      tags: [JSM],
      summary: 'Request types of a service desk',
      params: DeskParams,
      querystring: Type.Object({
        ...PageQuery,
        searchQuery: Type.Optional(Type.String({ maxLength: SEARCH_TEXT_MAX_LENGTH, description: 'words in the name or description' })),
        groupId: Type.Optional(Type.Integer({ description: 'only the request types of this group (…/requesttypegroup), in its order' })),
        expand: ListParam('`field` adds each request type\'s fields'),
        includeHiddenRequestTypesInSearch: Type.Optional(Type.Boolean()),
        restrictionStatus: Type.Optional(Type.Union([Type.Literal('open'), Type.Literal('restricted')])),
      }),
      response: { 200: PageSchema(RequestTypeSchema, 'Page of RequestTypeDTO'), ...errorResponses },
    },
  }, async (request) => {
    const { site, base } = restSite(request);
    const q = request.query;
    const withFields = listParam(q.expand).includes('field');
    const page = await listRequestTypes(await contextFor(deps, request), {
      site,
      serviceDeskId: request.params.serviceDeskId,
      ...pageWindow(q),
      searchQuery: q.searchQuery,
      groupId: q.groupId,
      restrictionStatus: q.restrictionStatus,
      withFields,
    });
    return presentPage(request, base, { ...page, values: page.values.map((t) => presentRequestType(base, t)) }, withFields ? [] : ['field']);
  });

  app.get('/s/:site/rest/servicedeskapi/servicedesk/:serviceDeskId/requesttype/:requestTypeId', {
    schema: {
      tags: [JSM],
      summary: 'One request type of a service desk',
      params: Type.Object({ site: Type.String(), serviceDeskId: Type.String(), requestTypeId: Type.String() }),
      querystring: Type.Object({ expand: ListParam('`field` adds the request type\'s fields') }),
      response: { 200: RequestTypeSchema, ...errorResponses },
    },
  }, async (request) => {
    const { site, base } = restSite(request);
    const t = await getDeskRequestType(await contextFor(deps, request), {
      site,
      serviceDeskId: request.params.serviceDeskId,
      requestTypeId: request.params.requestTypeId,
      withFields: listParam(request.query.expand).includes('field'),
    });
    return presentRequestType(base, t);
  });

  app.get('/s/:site/rest/servicedeskapi/servicedesk/:serviceDeskId/requesttypegroup', {
    schema: {
      tags: [JSM],
      summary: "Request-type groups of a service desk (its portal's tabs)",
      params: DeskParams,
      querystring: Type.Object(PageQuery),
      response: { 200: PageSchema(RequestTypeGroupSchema, 'Page of RequestTypeGroupDTO'), ...errorResponses },
    },
  }, async (request) => {
    const { site, base } = restSite(request);
    const page = await listRequestTypeGroups(await contextFor(deps, request), { site, serviceDeskId: request.params.serviceDeskId, ...pageWindow(request.query) });
    return presentPage(request, base, { ...page, values: page.values.map(presentRequestTypeGroup) });
  });

  app.get('/s/:site/rest/servicedeskapi/servicedesk/:serviceDeskId/requesttype/:requestTypeId/field', {
    schema: {
      tags: [JSM],
      summary: 'Fields of a request type',
      params: Type.Object({ site: Type.String(), serviceDeskId: Type.String(), requestTypeId: Type.String() }),
      querystring: Type.Object({ expand: ListParam('`hiddenFields` (Portico has none)') }),
      response: { 200: CreateMetaSchema, ...errorResponses },
    },
  }, async (request) => {
    const { site } = restSite(request);
    const meta = await getRequestTypeFields(await contextFor(deps, request), {
      site,
      serviceDeskId: request.params.serviceDeskId,
      requestTypeId: request.params.requestTypeId,
    });
    return presentCreateMeta(meta);
  });

  app.get('/s/:site/rest/servicedeskapi/servicedesk/:serviceDeskId/customer', {
    schema: {
      tags: [JSM],
      summary: 'Customers of a service desk (revoked ones with active:false)',
      params: DeskParams,
      querystring: Type.Object({ ...PageQuery, query: Type.Optional(Type.String({ maxLength: SEARCH_TEXT_MAX_LENGTH, description: 'part of the name or email' })) }),
      response: { 200: PageSchema(JsmUserSchema, 'Page of UserDTO'), ...errorResponses },
    },
  }, async (request) => {
    const { site, base } = restSite(request);
    const ctx = await contextFor(deps, request);
    const page = await listProjectCustomers(ctx, { site, serviceDeskId: request.params.serviceDeskId, query: request.query.query, ...pageWindow(request.query) });
    return presentPage(request, base, {
      ...page,
      values: page.values.map((account) => presentJsmUser(base, { account, emailVisible: mayReadEmailOf(ctx.actor, account.accountId) })),
    });
  });

  // Atlassian's `…/skip-permission-check` twins serve one internal caller of theirs; in Portico they
  // are the same operation under the same permission check, so a script that calls them still works
  // and nobody skips a check (docs/product.md#rest-skip-permission-check).
  for (const path of ['/s/:site/rest/servicedeskapi/servicedesk/:serviceDeskId/customer', '/s/:site/rest/servicedeskapi/servicedesk/:serviceDeskId/customer/skip-permission-check']) app.post(path, {
    preValidation: emptyBodyAsObject,
    schema: {
      tags: [JSM],
      summary: path.endsWith('skip-permission-check') ? 'Add customers to a service desk — the same as …/customer, with its permission check (204)' : 'Add customers to a service desk (all or nothing; 204)',
      params: DeskParams,
      body: CustomersBody,
      response: { 204: Type.Null({ description: 'added' }), ...errorResponses },
    },
  }, async (request, reply) => {
    const { site } = restSite(request);
    await addProjectCustomers(await contextFor(deps, request), { site, serviceDeskId: request.params.serviceDeskId, accountIds: accountIdsOf(request.body) });
    return reply.code(204).send(null);
  });

  app.delete('/s/:site/rest/servicedeskapi/servicedesk/:serviceDeskId/customer', {
    preValidation: emptyBodyAsObject,
    schema: {
      tags: [JSM],
      summary: 'Remove customers from a restricted service desk (204)',
      params: DeskParams,
      body: CustomersBody,
      response: { 204: Type.Null({ description: 'removed' }), ...errorResponses },
    },
  }, async (request, reply) => {
    const { site } = restSite(request);
    await removeProjectCustomers(await contextFor(deps, request), { site, serviceDeskId: request.params.serviceDeskId, accountIds: accountIdsOf(request.body) });
    return reply.code(204).send(null);
  });

  for (const path of ['/s/:site/rest/servicedeskapi/customer', '/s/:site/rest/servicedeskapi/customer/skip-permission-check']) app.post(path, {
    preValidation: emptyBodyAsObject,
    schema: {
      tags: [JSM],
      summary: path.endsWith('skip-permission-check')
        ? 'Create a portal-only customer — the same as …/customer, with its permission check'
        : 'Create a portal-only customer (admins, and agents of a project on the site)',
      params: SiteParams,
      querystring: Type.Object({ strictConflictStatusCode: Type.Optional(Type.Boolean({ description: 'duplicate email answers 409 instead of 400' })) }),
      body: Type.Object(
        {
          displayName: Type.Optional(Type.String()),
          fullName: Type.Optional(Type.String({ description: 'deprecated alias of displayName' })),
          email: Type.Optional(Type.String()),
          accessUntil: Type.Optional(Type.Union([Type.String({ maxLength: 64 }), Type.Null()], { description: 'Portico addition: ISO 8601; the access ends then (docs/product.md#access-until)' })),
        },
        { additionalProperties: false },
      ),
      response: { 201: JsmUserSchema, 409: errorResponses[400], ...errorResponses },
    },
  }, async (request, reply) => {
    const { site, base } = restSite(request);
    const body = request.body ?? {};
    const ctx = await contextFor(deps, request);
    const account = await createCustomer(ctx, {
      site,
      displayName: body.displayName ?? body.fullName ?? '',
      email: body.email ?? '',
      strictConflict: request.query.strictConflictStatusCode === true,
      accessUntil: body.accessUntil ?? null,
    });
    return reply.code(201).send(presentJsmUser(base, { account, emailVisible: true }));
  });
}
