import { Type } from 'typebox';
import type { FastifyRequest } from 'fastify';
import type { App, AppDeps } from '../../deps.js';
import { originOf } from '../../deps.js';
import { registerScimErrorHandling } from '../../plugins/errors.js';
import { ScimProblem } from '../../../domain/scim.js';
import {
  createScimUser,
  deleteScimUser,
  getScimUser,
  listScimUsersFor,
  patchScimUser,
  replaceScimUser,
  type ScimContext,
} from '../../../use-cases/scim/scim-users.js';
import { presentScimUser, presentScimUserList, scimBaseUrl } from '../../presenters/scim.js';
import {
  ScimDocumentSchema,
  scimErrors,
  ScimListQuery,
  ScimPatchBody,
  ScimSiteParams,
  ScimUserBody,
  ScimUserListSchema,
  ScimUserParams,
  ScimUserSchema,
} from '../../schemas/scim.js';
import { resourceTypes, schemas, serviceProviderConfig, userResourceType, userSchema } from './discovery.js';
import { parseJsonBody } from '../../json-body.js';

// The SCIM 2.0 server of each site (docs/product.md#scim-provisioning), for its identity provider:
// /s/{site}/scim/v2/… with a SCIM token of that site as Bearer (http/plugins/auth.ts finds it),
// SCIM's media type and error shape throughout. Each route is thin: the use cases in use-cases/scim.

const TAGS = ['scim'];
const SCIM_TYPE = 'application/scim+json; charset=utf-8';

export async function registerScimRoutes(app: App, deps: AppDeps): Promise<void> {
  await app.register(async (scim: App) => {
    registerScimErrorHandling(scim);
    // RFC 7644 §3.1: clients send application/scim+json (application/json is read as well)
    scim.addContentTypeParser('application/scim+json', { parseAs: 'string' }, parseJsonBody);
    scim.addHook('onRequest', async (request) => {
      if (!request.scimCaller) throw new ScimProblem(401, 'A SCIM token of this site is required (Authorization: Bearer …).');
    });
    scim.addHook('onSend', async (_request, reply, payload) => {
      if (String(reply.getHeader('content-type') ?? '').startsWith('application/json')) reply.type(SCIM_TYPE);
      return payload;
    });

    const context = (request: FastifyRequest): ScimContext => ({
      db: deps.db,
      ip: request.ip ?? null,
      userAgent: request.headers['user-agent']?.slice(0, 512) ?? null,
      mailer: deps.mailer,
      config: deps.config,
      origin: originOf(request),
      counters: deps.metrics,
      scim: request.scimCaller!,
    });
    const base = (request: FastifyRequest) => scimBaseUrl(originOf(request), request.scimCaller!.site.slug);
    const config = { scim: true };
    const doc = (summary: string) => ({ tags: TAGS, summary, params: ScimSiteParams, response: { 200: ScimDocumentSchema, ...scimErrors } });
    const docById = (summary: string) => ({ tags: TAGS, summary, params: ScimUserParams, response: { 200: ScimDocumentSchema, ...scimErrors } });

    scim.get('/s/:site/scim/v2/ServiceProviderConfig', { config, schema: doc('SCIM: what this server supports (RFC 7643 §5)') }, async (request, reply) =>
      reply.type(SCIM_TYPE).send(serviceProviderConfig(base(request))),
    );
    scim.get('/s/:site/scim/v2/ResourceTypes', { config, schema: doc('SCIM: the resource types (User)') }, async (request, reply) => reply.type(SCIM_TYPE).send(resourceTypes(base(request))));
    scim.get('/s/:site/scim/v2/ResourceTypes/:id', { config, schema: docById('SCIM: one resource type') }, async (request, reply) => {
      if (request.params.id !== 'User') throw new ScimProblem(404, 'No such resource type.');
      return reply.type(SCIM_TYPE).send(userResourceType(base(request)));
    });
    scim.get('/s/:site/scim/v2/Schemas', { config, schema: doc('SCIM: the schemas (User)') }, async (request, reply) => reply.type(SCIM_TYPE).send(schemas(base(request))));
    scim.get('/s/:site/scim/v2/Schemas/:id', { config, schema: docById('SCIM: one schema') }, async (request, reply) => {
      const schema = userSchema(base(request));
      if (request.params.id !== schema.id) throw new ScimProblem(404, 'No such schema.');
      return reply.type(SCIM_TYPE).send(schema);
    });

    scim.get('/s/:site/scim/v2/Users', {
      config,
      schema: { tags: TAGS, summary: "SCIM: the site's customers, filtered and paged", params: ScimSiteParams, querystring: ScimListQuery, response: { 200: ScimUserListSchema, ...scimErrors } },
    }, async (request, reply) => {
      const page = await listScimUsersFor(context(request), { filter: request.query.filter, startIndex: request.query.startIndex, count: request.query.count });
      return reply.type(SCIM_TYPE).send(presentScimUserList(page, base(request)));
    });

    scim.post('/s/:site/scim/v2/Users', {
      config,
      schema: { tags: TAGS, summary: 'SCIM: provision a customer (or take over the unlinked customer with this email)', params: ScimSiteParams, body: ScimUserBody, response: { 201: ScimUserSchema, ...scimErrors } },
    }, async (request, reply) => {
      const { user } = await createScimUser(context(request), { body: request.body });
      const resource = presentScimUser(user, base(request));
      return reply.code(201).header('location', resource.meta.location).type(SCIM_TYPE).send(resource);
    });

    scim.get('/s/:site/scim/v2/Users/:id', {
      config,
      schema: { tags: TAGS, summary: 'SCIM: one customer', params: ScimUserParams, querystring: Type.Object({ attributes: Type.Optional(Type.String({ maxLength: 1000 })), excludedAttributes: Type.Optional(Type.String({ maxLength: 1000 })) }), response: { 200: ScimUserSchema, ...scimErrors } },
    }, async (request, reply) => reply.type(SCIM_TYPE).send(presentScimUser(await getScimUser(context(request), { id: request.params.id }), base(request))));

    scim.put('/s/:site/scim/v2/Users/:id', {
      config,
      schema: { tags: TAGS, summary: 'SCIM: replace a customer (name, access)', params: ScimUserParams, body: ScimUserBody, response: { 200: ScimUserSchema, ...scimErrors } },
    }, async (request, reply) =>
      reply.type(SCIM_TYPE).send(presentScimUser(await replaceScimUser(context(request), { id: request.params.id, body: request.body }), base(request))),
    );

    scim.patch('/s/:site/scim/v2/Users/:id', {
      config,
      schema: { tags: TAGS, summary: 'SCIM: patch a customer (replace active false revokes, true grants)', params: ScimUserParams, body: ScimPatchBody, response: { 200: ScimUserSchema, ...scimErrors } },
    }, async (request, reply) =>
      reply.type(SCIM_TYPE).send(presentScimUser(await patchScimUser(context(request), { id: request.params.id, body: request.body }), base(request))),
    );

    scim.delete('/s/:site/scim/v2/Users/:id', {
      config,
      schema: { tags: TAGS, summary: "SCIM: deprovision a customer (revoke, or delete, per the site's setting)", params: ScimUserParams, response: { 204: Type.Null(), ...scimErrors } },
    }, async (request, reply) => {
      await deleteScimUser(context(request), { id: request.params.id });
      return reply.code(204).send(null);
    });
  });
}
