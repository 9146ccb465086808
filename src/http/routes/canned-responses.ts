import { Type } from 'typebox';
import type { App, AppDeps } from '../deps.js';
import { contextFor } from '../deps.js';
import { requireSite } from '../plugins/auth.js';
import { apiErrors, NoContent } from '../schemas/common.js';
import { CannedResponseSchema, CannedResponsesSchema } from '../schemas/canned-responses.js';
import {
  CANNED_BODY_MAX,
  CANNED_TITLE_MAX,
  createCannedResponse,
  deleteCannedResponse,
  listCannedResponses,
  updateCannedResponse,
  type CannedResponse,
} from '../../use-cases/requests/canned-responses.js';

// A project's canned responses on the agent workspace's API (docs/product.md#canned-responses).

const ProjectParams = Type.Object({ site: Type.String({ minLength: 1, maxLength: 63 }), key: Type.String({ minLength: 1, maxLength: 20 }) });
const CannedParams = Type.Object({ ...ProjectParams.properties, id: Type.String({ minLength: 1, maxLength: 20 }) });
const Body = Type.Object(
  {
    title: Type.String({ maxLength: CANNED_TITLE_MAX * 4, title: 'Title' }),
    body: Type.String({ maxLength: CANNED_BODY_MAX * 4, title: 'Text' }),
  },
  { additionalProperties: false },
);

const present = (c: CannedResponse) => ({ id: c.id, title: c.title, body: c.body, updatedAt: c.updatedAt.toISOString() });

export async function registerCannedResponseRoutes(app: App, deps: AppDeps): Promise<void> {
  const tags = ['agent workspace (internal)'];
  const base = '/s/:site/api/agent/projects/:key/canned-responses';

  app.get(base, {
    schema: { tags, summary: "A project's canned responses, by title", params: ProjectParams, response: { 200: CannedResponsesSchema, ...apiErrors } },
  }, async (request) => {
    const ctx = await contextFor(deps, request);
    return { values: (await listCannedResponses(ctx, { site: requireSite(request), projectKey: request.params.key })).map(present) };
  });

  app.post(base, {
    schema: { tags, summary: 'Add a canned response to the project', params: ProjectParams, body: Body, response: { 201: CannedResponseSchema, ...apiErrors } },
  }, async (request, reply) => {
    const ctx = await contextFor(deps, request);
    const created = await createCannedResponse(ctx, { site: requireSite(request), projectKey: request.params.key, ...request.body });
    return reply.code(201).send(present(created));
  });

  app.put(`${base}/:id`, {
    schema: { tags, summary: 'Change a canned response', params: CannedParams, body: Body, response: { 200: CannedResponseSchema, ...apiErrors } },
  }, async (request) => {
    const ctx = await contextFor(deps, request);
    return present(await updateCannedResponse(ctx, { site: requireSite(request), projectKey: request.params.key, id: request.params.id, ...request.body }));
  });

  app.delete(`${base}/:id`, {
    schema: { tags, summary: 'Delete a canned response', params: CannedParams, response: { 204: NoContent, ...apiErrors } },
  }, async (request, reply) => {
    const ctx = await contextFor(deps, request);
    await deleteCannedResponse(ctx, { site: requireSite(request), projectKey: request.params.key, id: request.params.id });
    return reply.code(204).send(null);
  });
}
