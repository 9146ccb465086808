import { Type } from 'typebox';
import type { App, AppDeps } from '../deps.js';
import { contextFor } from '../deps.js';
import { requireSite } from '../plugins/auth.js';
import { presentProjectCustomer } from '../presenters/customers.js';
import { presentCustomerOrganization, presentCustomerOrganizationRow } from '../presenters/organizations.js';
import { apiErrors, NoContent } from '../schemas/common.js';
import {
  ChangedMembersSchema,
  CustomerOrganizationSchema,
  CustomerOrganizationsPageSchema,
  OrganizationMembersPageSchema,
  ProjectOrganizationsPageSchema,
  ProjectSharingSchema,
  CustomerSharingSchema,
  RequestOrganizationsSchema,
} from '../schemas/organizations.js';
import { canManageCustomerOrganizations, decideDeleteCustomerOrganization } from '../../domain/policies.js';
import { OFFSET_SCHEMA } from '../../domain/limits.js';
import { listCustomerOrganizations } from '../../use-cases/customer-organizations/list-customer-organizations.js';
import { createCustomerOrganization } from '../../use-cases/customer-organizations/create-customer-organization.js';
import { renameCustomerOrganization } from '../../use-cases/customer-organizations/rename-customer-organization.js';
import { deleteCustomerOrganization } from '../../use-cases/customer-organizations/delete-customer-organization.js';
import { listOrganizationMembers } from '../../use-cases/customer-organizations/list-organization-members.js';
import { addOrganizationMembers } from '../../use-cases/customer-organizations/add-organization-members.js';
import { removeOrganizationMembers } from '../../use-cases/customer-organizations/remove-organization-members.js';
import { addProjectOrganization, listProjectOrganizations, removeProjectOrganization, setProjectSharing } from '../../use-cases/customer-organizations/project-organizations.js';
import { shareRequestWithOrganization } from '../../use-cases/customer-organizations/share-request-with-organization.js';
import { listRequestOrganizationsFor } from '../../use-cases/customer-organizations/list-request-organizations.js';

// Customer organizations on the internal JSON API (docs/product.md#customer-organizations), under
// /s/{site}/api/organizations/… for the agent workspace's and the admin console's pages (staff
// cookie), /s/{site}/api/agent/projects/{KEY}/organizations for a project's, and
// /s/{site}/api/portal/requests/{KEY}/organizations for the help center's "Share with my
// organization" (either cookie). Writes carry the CSRF token (plugins/auth.ts).

const SiteParams = Type.Object({ site: Type.String({ maxLength: 63 }) });
const OrgParams = Type.Object({ site: Type.String({ maxLength: 63 }), organizationId: Type.String({ minLength: 1, maxLength: 20 }) });
const ProjectParams = Type.Object({ site: Type.String({ maxLength: 63 }), key: Type.String({ minLength: 1, maxLength: 20 }) });
const ProjectOrgParams = Type.Object({ ...ProjectParams.properties, organizationId: Type.String({ minLength: 1, maxLength: 20 }) });
const RequestParams = Type.Object({ site: Type.String({ maxLength: 63 }), key: Type.String({ minLength: 1, maxLength: 40 }) });
const RequestOrgParams = Type.Object({ ...RequestParams.properties, organizationId: Type.String({ minLength: 1, maxLength: 20 }) });
const PageQuery = {
  start: Type.Optional(Type.Integer(OFFSET_SCHEMA)),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 100 })),
};
const NameBody = Type.Object({ name: Type.String({ maxLength: 1000 }) }, { additionalProperties: false });
const AccountIdsBody = Type.Object({ accountIds: Type.Array(Type.String({ minLength: 1, maxLength: 128 }), { minItems: 1, maxItems: 1000 }) }, { additionalProperties: false });
const OrganizationIdBody = Type.Object({ organizationId: Type.String({ minLength: 1, maxLength: 20 }) }, { additionalProperties: false });

export async function registerOrganizationRoutes(app: App, deps: AppDeps): Promise<void> {
  const base = '/s/:site/api/organizations';
  const tags = ['customer organizations (internal)'];

  app.get(base, {
    schema: {
      tags,
      params: SiteParams,
      querystring: Type.Object({ query: Type.Optional(Type.String({ maxLength: 256 })), ...PageQuery }),
      response: { 200: CustomerOrganizationsPageSchema, ...apiErrors },
    },
  }, async (request) => {
    const ctx = await contextFor(deps, request);
    const site = requireSite(request);
    const page = await listCustomerOrganizations(ctx, { site, query: request.query.query, start: request.query.start, limit: request.query.limit });
    return {
      start: page.start,
      limit: page.limit,
      isLastPage: page.isLastPage,
      canManage: canManageCustomerOrganizations(ctx.actor, site),
      canDelete: decideDeleteCustomerOrganization(ctx.actor, site) === 'allow',
      values: page.values.map(presentCustomerOrganizationRow),
    };
  });

  app.post(base, {
    schema: { tags, params: SiteParams, body: NameBody, response: { 201: CustomerOrganizationSchema, ...apiErrors } },
  }, async (request, reply) => {
    const org = await createCustomerOrganization(await contextFor(deps, request), { site: requireSite(request), name: request.body.name });
    return reply.code(201).send(presentCustomerOrganization(org));
  });

  app.put(`${base}/:organizationId`, {
    schema: { tags, params: OrgParams, body: NameBody, response: { 200: CustomerOrganizationSchema, ...apiErrors } },
  }, async (request) => {
    const org = await renameCustomerOrganization(await contextFor(deps, request), { site: requireSite(request), organizationId: request.params.organizationId, name: request.body.name });
    return presentCustomerOrganization(org);
  });

  app.delete(`${base}/:organizationId`, {
    schema: { tags, params: OrgParams, response: { 204: NoContent, ...apiErrors } },
  }, async (request, reply) => {
    await deleteCustomerOrganization(await contextFor(deps, request), { site: requireSite(request), organizationId: request.params.organizationId });
    return reply.code(204).send(null);
  });

  app.get(`${base}/:organizationId/members`, {
    schema: { tags, params: OrgParams, querystring: Type.Object(PageQuery), response: { 200: OrganizationMembersPageSchema, ...apiErrors } },
  }, async (request) => {
    const ctx = await contextFor(deps, request);
    const page = await listOrganizationMembers(ctx, { site: requireSite(request), organizationId: request.params.organizationId, start: request.query.start, limit: request.query.limit });
    return {
      organization: presentCustomerOrganization(page.organization),
      start: page.start,
      limit: page.limit,
      isLastPage: page.isLastPage,
      values: page.values.map((m) => presentProjectCustomer(m, ctx.actor)),
    };
  });

  app.post(`${base}/:organizationId/members`, {
    schema: { tags, params: OrgParams, body: AccountIdsBody, response: { 200: ChangedMembersSchema, ...apiErrors } },
  }, async (request) => {
    const r = await addOrganizationMembers(await contextFor(deps, request), { site: requireSite(request), organizationId: request.params.organizationId, accountIds: request.body.accountIds });
    return { accountIds: r.added };
  });

  // a removal with a list of ids is a POST: a DELETE body is dropped by some proxies
  app.post(`${base}/:organizationId/members/remove`, {
    schema: { tags, params: OrgParams, body: AccountIdsBody, response: { 200: ChangedMembersSchema, ...apiErrors } },
  }, async (request) => {
    const r = await removeOrganizationMembers(await contextFor(deps, request), { site: requireSite(request), organizationId: request.params.organizationId, accountIds: request.body.accountIds });
    return { accountIds: r.removed };
  });

  app.get('/s/:site/api/agent/projects/:key/organizations', {
    schema: { tags, params: ProjectParams, querystring: Type.Object(PageQuery), response: { 200: ProjectOrganizationsPageSchema, ...apiErrors } },
  }, async (request) => {
    const ctx = await contextFor(deps, request);
    const page = await listProjectOrganizations(ctx, { site: requireSite(request), serviceDeskId: request.params.key, start: request.query.start, limit: request.query.limit });
    return {
      project: page.project,
      start: page.start,
      limit: page.limit,
      isLastPage: page.isLastPage,
      values: page.values.map(presentCustomerOrganizationRow),
    };
  });

  app.post('/s/:site/api/agent/projects/:key/organizations', {
    schema: { tags, params: ProjectParams, body: OrganizationIdBody, response: { 204: NoContent, ...apiErrors } },
  }, async (request, reply) => {
    await addProjectOrganization(await contextFor(deps, request), { site: requireSite(request), serviceDeskId: request.params.key, organizationId: request.body.organizationId });
    return reply.code(204).send(null);
  });

  app.delete('/s/:site/api/agent/projects/:key/organizations/:organizationId', {
    schema: { tags, params: ProjectOrgParams, response: { 204: NoContent, ...apiErrors } },
  }, async (request, reply) => {
    await removeProjectOrganization(await contextFor(deps, request), { site: requireSite(request), serviceDeskId: request.params.key, organizationId: request.params.organizationId });
    return reply.code(204).send(null);
  });

  app.put('/s/:site/api/agent/projects/:key/sharing', {
    schema: { tags, params: ProjectParams, body: Type.Object({ customerSharing: Type.String({ maxLength: 40, description: 'nobody, request, organizations or project' }) }, { additionalProperties: false }), response: { 200: ProjectSharingSchema, ...apiErrors } },
  }, async (request) => {
    return setProjectSharing(await contextFor(deps, request), { site: requireSite(request), serviceDeskId: request.params.key, customerSharing: request.body.customerSharing });
  });

  app.get('/s/:site/api/portal/requests/:key/organizations', {
    schema: { tags, params: RequestParams, response: { 200: RequestOrganizationsSchema, ...apiErrors } },
  }, async (request) => {
    const r = await listRequestOrganizationsFor(await contextFor(deps, request), { site: requireSite(request), requestKeyOrId: request.params.key });
    return { values: r.map(presentCustomerOrganization) };
  });

  app.post('/s/:site/api/portal/requests/:key/organizations', {
    schema: { tags, params: RequestParams, body: OrganizationIdBody, response: { 200: RequestOrganizationsSchema, ...apiErrors } },
  }, async (request) => {
    const r = await shareRequestWithOrganization(await contextFor(deps, request), { site: requireSite(request), requestKeyOrId: request.params.key, organizationId: request.body.organizationId, share: true });
    return { values: r.map(presentCustomerOrganization) };
  });

  app.delete('/s/:site/api/portal/requests/:key/organizations/:organizationId', {
    schema: { tags, params: RequestOrgParams, response: { 200: RequestOrganizationsSchema, ...apiErrors } },
  }, async (request) => {
    const r = await shareRequestWithOrganization(await contextFor(deps, request), { site: requireSite(request), requestKeyOrId: request.params.key, organizationId: request.params.organizationId, share: false });
    return { values: r.map(presentCustomerOrganization) };
  });
}
