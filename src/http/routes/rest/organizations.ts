import { Type } from 'typebox';
import type { App, AppDeps } from '../../deps.js';
import { contextFor } from '../../deps.js';
import { pageWindow, presentPage } from '../../presenters/rest/common.js';
import { presentOrganization } from '../../presenters/rest/organizations.js';
import { presentJsmUser } from '../../presenters/rest/users.js';
import { JsmUserSchema, OrganizationSchema, PageSchema, errorResponses } from '../../schemas/rest.js';
import { listCustomerOrganizations } from '../../../use-cases/customer-organizations/list-customer-organizations.js';
import { getCustomerOrganization } from '../../../use-cases/customer-organizations/get-customer-organization.js';
import { createCustomerOrganization } from '../../../use-cases/customer-organizations/create-customer-organization.js';
import { deleteCustomerOrganization } from '../../../use-cases/customer-organizations/delete-customer-organization.js';
import { listOrganizationMembers } from '../../../use-cases/customer-organizations/list-organization-members.js';
import { addOrganizationMembers } from '../../../use-cases/customer-organizations/add-organization-members.js';
import { removeOrganizationMembers } from '../../../use-cases/customer-organizations/remove-organization-members.js';
import { addProjectOrganization, listProjectOrganizations, removeProjectOrganization } from '../../../use-cases/customer-organizations/project-organizations.js';
import { deleteOrganizationProperty, getOrganizationProperty, listOrganizationPropertyKeys, setOrganizationProperty, PROPERTY_KEY_MAX } from '../../../use-cases/customer-organizations/organization-properties.js';
import { mayReadEmailOf } from '../../../domain/policies.js';
import { JSM, PageQuery, SiteParams, emptyBodyAsObject, restSite } from './common.js';

// Customer organizations over Atlassian's paths (docs/product.md#customer-organizations), in the
// shapes of its reference so jira.js's serviceDesk.organization calls work unchanged: pages of
// OrganizationDTO and UserDTO, `{accountIds}` and `{organizationId}` bodies, 201 for a new
// organization and 204 for every other write.

const OrgParams = Type.Object({ site: Type.String(), organizationId: Type.String({ description: 'organization id (a positive integer)' }) });
const DeskParams = Type.Object({ site: Type.String(), serviceDeskId: Type.String({ description: 'service desk id, project id or project key' }) });
const AccountIdQuery = Type.Optional(Type.String({ maxLength: 128, description: 'only the organizations this account is a member of' }));

const UsersBody = Type.Object(
  {
    accountIds: Type.Optional(Type.Array(Type.String(), { description: 'account ids of customers of the site' })),
    usernames: Type.Optional(Type.Array(Type.String(), { description: 'deprecated; not supported (account ids only)' })),
    organizationId: Type.Optional(Type.Union([Type.Integer(), Type.String()], { description: 'sent by jira.js; the path names the organization' })),
  },
  { additionalProperties: false },
);

const OrganizationIdBody = Type.Object(
  { organizationId: Type.Optional(Type.Union([Type.Integer(), Type.String()], { description: 'the organization to add or remove' })) },
  { additionalProperties: false },
);

export function registerOrganizationRoutes(app: App, deps: AppDeps) {
  app.get('/s/:site/rest/servicedeskapi/organization', {
    schema: {
      tags: [JSM],
      summary: "Customer organizations of the site (agents and admins: all of them; a customer: their own)",
      params: SiteParams,
      querystring: Type.Object({ ...PageQuery, accountId: AccountIdQuery }),
      response: { 200: PageSchema(OrganizationSchema, 'Page of OrganizationDTO'), ...errorResponses },
    },
  }, async (request) => {
    const { site, base } = restSite(request);
    const page = await listCustomerOrganizations(await contextFor(deps, request), { site, accountId: request.query.accountId, ...pageWindow(request.query) });
    return presentPage(request, base, { ...page, values: page.values.map((o) => presentOrganization(base, o)) });
  });

  app.post('/s/:site/rest/servicedeskapi/organization', {
    preValidation: emptyBodyAsObject,
    schema: {
      tags: [JSM],
      summary: 'Create a customer organization (agents and admins of the site; 201)',
      params: SiteParams,
      body: Type.Object({ name: Type.Optional(Type.String({ description: '1 to 200 characters, unique on the site in any case' })) }, { additionalProperties: false }),
      response: { 201: OrganizationSchema, ...errorResponses },
    },
  }, async (request, reply) => {
    const { site, base } = restSite(request);
    const org = await createCustomerOrganization(await contextFor(deps, request), { site, name: request.body?.name ?? '' });
    return reply.code(201).send(presentOrganization(base, org));
  });

  app.get('/s/:site/rest/servicedeskapi/organization/:organizationId', {
    schema: {
      tags: [JSM],
      summary: 'One customer organization (agents and admins of the site, and its members)',
      params: OrgParams,
      response: { 200: OrganizationSchema, ...errorResponses },
    },
  }, async (request) => {
    const { site, base } = restSite(request);
    const org = await getCustomerOrganization(await contextFor(deps, request), { site, organizationId: request.params.organizationId });
    return presentOrganization(base, org);
  });

  app.delete('/s/:site/rest/servicedeskapi/organization/:organizationId', {
    preValidation: emptyBodyAsObject,
    schema: {
      tags: [JSM],
      summary: "Delete a customer organization (the site's admins; 204)",
      params: OrgParams,
      response: { 204: Type.Null({ description: 'deleted' }), ...errorResponses },
    },
  }, async (request, reply) => {
    const { site } = restSite(request);
    await deleteCustomerOrganization(await contextFor(deps, request), { site, organizationId: request.params.organizationId });
    return reply.code(204).send(null);
  });

  app.get('/s/:site/rest/servicedeskapi/organization/:organizationId/user', {
    schema: {
      tags: [JSM],
      summary: 'Members of a customer organization (revoked ones with active:false)',
      params: OrgParams,
      querystring: Type.Object(PageQuery),
      response: { 200: PageSchema(JsmUserSchema, 'Page of UserDTO'), ...errorResponses },
    },
  }, async (request) => {
    const { site, base } = restSite(request);
    const ctx = await contextFor(deps, request);
    const page = await listOrganizationMembers(ctx, { site, organizationId: request.params.organizationId, ...pageWindow(request.query) });
    return presentPage(request, base, {
      ...page,
      values: page.values.map((account) => presentJsmUser(base, { account, emailVisible: mayReadEmailOf(ctx.actor, account.accountId) })),
    });
  });

  app.post('/s/:site/rest/servicedeskapi/organization/:organizationId/user', {
    preValidation: emptyBodyAsObject,
    schema: {
      tags: [JSM],
      summary: 'Add customers to an organization (all or nothing; 204)',
      params: OrgParams,
      body: UsersBody,
      response: { 204: Type.Null({ description: 'added' }), ...errorResponses },
    },
  }, async (request, reply) => {
    const { site } = restSite(request);
    await addOrganizationMembers(await contextFor(deps, request), { site, organizationId: request.params.organizationId, accountIds: request.body?.accountIds ?? [] });
    return reply.code(204).send(null);
  });

  app.delete('/s/:site/rest/servicedeskapi/organization/:organizationId/user', {
    preValidation: emptyBodyAsObject,
    schema: {
      tags: [JSM],
      summary: 'Remove people from an organization (ids that are not members are ignored; 204)',
      params: OrgParams,
      body: UsersBody,
      response: { 204: Type.Null({ description: 'removed' }), ...errorResponses },
    },
  }, async (request, reply) => {
    const { site } = restSite(request);
    await removeOrganizationMembers(await contextFor(deps, request), { site, organizationId: request.params.organizationId, accountIds: request.body?.accountIds ?? [] });
    return reply.code(204).send(null);
  });

  app.get('/s/:site/rest/servicedeskapi/servicedesk/:serviceDeskId/organization', {
    schema: {
      tags: [JSM],
      summary: 'Customer organizations added to a service desk',
      params: DeskParams,
      querystring: Type.Object({ ...PageQuery, accountId: AccountIdQuery }),
      response: { 200: PageSchema(OrganizationSchema, 'Page of OrganizationDTO'), ...errorResponses },
    },
  }, async (request) => {
    const { site, base } = restSite(request);
    const page = await listProjectOrganizations(await contextFor(deps, request), {
      site,
      serviceDeskId: request.params.serviceDeskId,
      accountId: request.query.accountId,
      ...pageWindow(request.query),
    });
    return presentPage(request, base, { ...page, values: page.values.map((o) => presentOrganization(base, o)) });
  });

  app.post('/s/:site/rest/servicedeskapi/servicedesk/:serviceDeskId/organization', {
    preValidation: emptyBodyAsObject,
    schema: {
      tags: [JSM],
      summary: 'Add an organization to a service desk: its members may raise requests there (204)',
      params: DeskParams,
      body: OrganizationIdBody,
      response: { 204: Type.Null({ description: 'added' }), ...errorResponses },
    },
  }, async (request, reply) => {
    const { site } = restSite(request);
    await addProjectOrganization(await contextFor(deps, request), { site, serviceDeskId: request.params.serviceDeskId, organizationId: request.body?.organizationId });
    return reply.code(204).send(null);
  });

  app.delete('/s/:site/rest/servicedeskapi/servicedesk/:serviceDeskId/organization', {
    preValidation: emptyBodyAsObject,
    schema: {
      tags: [JSM],
      summary: 'Remove an organization from a service desk (204)',
      params: DeskParams,
      body: OrganizationIdBody,
      response: { 204: Type.Null({ description: 'removed' }), ...errorResponses },
    },
  }, async (request, reply) => {
    const { site } = restSite(request);
    await removeProjectOrganization(await contextFor(deps, request), { site, serviceDeskId: request.params.serviceDeskId, organizationId: request.body?.organizationId });
    return reply.code(204).send(null);
  });

  // An organization's entity properties (docs/product.md#rest-organization-properties): JSON values
  // scripts keep against it, read by whoever may read it, written by those who manage organizations.
  const PropertyParams = Type.Object({ ...OrgParams.properties, propertyKey: Type.String({ minLength: 1, maxLength: PROPERTY_KEY_MAX * 4, description: 'the key, 1 to 255 characters' }) });

  app.get('/s/:site/rest/servicedeskapi/organization/:organizationId/property', {
    schema: {
      tags: [JSM],
      summary: "The keys of an organization's properties",
      params: OrgParams,
      response: { 200: Type.Object({ keys: Type.Array(Type.Object({ key: Type.String(), self: Type.String({ format: 'uri' }) })) }, { additionalProperties: true, description: 'PropertyKeys' }), ...errorResponses },
    },
  }, async (request) => {
    const { site, base } = restSite(request);
    const found = await listOrganizationPropertyKeys(await contextFor(deps, request), { site, organizationId: request.params.organizationId });
    const self = (key: string) => `${base}/rest/servicedeskapi/organization/${found.organizationId}/property/${encodeURIComponent(key)}`;
    return { keys: found.keys.map((key) => ({ key, self: self(key) })) };
  });

  app.get('/s/:site/rest/servicedeskapi/organization/:organizationId/property/:propertyKey', {
    schema: {
      tags: [JSM],
      summary: "One property of an organization: its key and JSON value (404 when it has none of that key)",
      params: PropertyParams,
      response: { 200: Type.Object({ key: Type.String(), value: Type.Unknown() }, { additionalProperties: true, description: 'EntityProperty' }), ...errorResponses },
    },
  }, async (request) => {
    const { site } = restSite(request);
    return getOrganizationProperty(await contextFor(deps, request), { site, organizationId: request.params.organizationId, key: request.params.propertyKey });
  });

  app.put('/s/:site/rest/servicedeskapi/organization/:organizationId/property/:propertyKey', {
    schema: {
      tags: [JSM],
      summary: "Sets a property of an organization: the body is its JSON value, at most 32,768 bytes (201 new, 200 replaced; agents and admins)",
      params: PropertyParams,
      body: Type.Unknown({ description: 'any JSON value' }),
      response: { 200: Type.Null({ description: 'replaced' }), 201: Type.Null({ description: 'created' }), ...errorResponses },
    },
  }, async (request, reply) => {
    const { site } = restSite(request);
    const { created } = await setOrganizationProperty(await contextFor(deps, request), { site, organizationId: request.params.organizationId, key: request.params.propertyKey, value: request.body });
    return reply.code(created ? 201 : 200).send(null);
  });

  app.delete('/s/:site/rest/servicedeskapi/organization/:organizationId/property/:propertyKey', {
    schema: {
      tags: [JSM],
      summary: 'Removes a property of an organization (204; agents and admins)',
      params: PropertyParams,
      response: { 204: Type.Null({ description: 'removed' }), ...errorResponses },
    },
  }, async (request, reply) => {
    const { site } = restSite(request);
    await deleteOrganizationProperty(await contextFor(deps, request), { site, organizationId: request.params.organizationId, key: request.params.propertyKey });
    return reply.code(204).send(null);
  });
}
