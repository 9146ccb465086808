import { Type } from 'typebox';
import type { App, AppDeps } from '../../deps.js';
import { contextFor } from '../../deps.js';
import { createApiToken } from '../../../use-cases/tokens/create-api-token.js';
import { API_TOKEN_LABEL_MAX } from '../../../use-cases/tokens/api-tokens.js';
import { listApiTokens } from '../../../use-cases/tokens/list-api-tokens.js';
import { revokeApiToken } from '../../../use-cases/tokens/revoke-api-token.js';
import { stringFieldsOnly } from './guards.js';
import { ApiTokenListSchema, CreatedApiTokenSchema } from '../../schemas/auth.js';
import { apiErrors, NoContent } from '../../schemas/common.js';

const tags = ['profile (internal)'];
// A staff member's API tokens (REST: Basic email:token or Bearer token). The secret is shown once.
export async function registerTokenRoutes(app: App, deps: AppDeps): Promise<void> {
  app.get('/api/profile/tokens', {
    schema: { tags, summary: 'My API tokens (never the secrets)', response: { 200: ApiTokenListSchema, ...apiErrors } },
  }, async (request, reply) => {
    const values = await listApiTokens(await contextFor(deps, request));
    reply.header('cache-control', 'no-store');
    return { values };
  });

  app.post('/api/profile/tokens', {
    preValidation: stringFieldsOnly('label'),
    schema: {
      tags,
      summary: 'Create an API token (the token is in this response only)',
      body: Type.Object({ label: Type.Optional(Type.String({ maxLength: API_TOKEN_LABEL_MAX })) }, { additionalProperties: false }),
      response: { 201: CreatedApiTokenSchema, ...apiErrors },
    },
  }, async (request, reply) => {
    const created = await createApiToken(await contextFor(deps, request), { label: request.body?.label ?? '' });
    reply.header('cache-control', 'no-store');
    return reply.code(201).send(created);
  });

  app.delete('/api/profile/tokens/:id', {
    schema: { tags, summary: 'Revoke one of my API tokens', params: Type.Object({ id: Type.String({ minLength: 1, maxLength: 64 }) }), response: { 204: NoContent, ...apiErrors } },
  }, async (request, reply) => {
    await revokeApiToken(await contextFor(deps, request), { tokenId: request.params.id });
    return reply.code(204).send(null);
  });
}
