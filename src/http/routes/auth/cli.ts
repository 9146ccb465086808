import { Type } from 'typebox';
import type { App, AppDeps } from '../../deps.js';
import { anonymousContext } from '../../deps.js';
import { notFound, unauthenticated } from '../../../domain/errors.js';
import { hashSecret, safeEqual } from '../../../domain/secrets.js';
import { createApiTokenForStaffEmail } from '../../../use-cases/tokens/create-api-token-for-staff-email.js';
import { TypedEmail } from './schemas.js';
import { stringFieldsOnly } from './guards.js';
import { CreatedApiTokenSchema } from '../../schemas/auth.js';
import { apiErrors } from '../../schemas/common.js';

export const CLI_SECRET_HEADER = 'x-portico-cli-secret';

/**
 * While a server holds a PGlite data dir (one process only), `portico token create` works through
 * it: it reads the per-start secret from <dataDir>/server.json (mode 0600, so only the server's
 * OS user can) and calls this route. Without a secret (PostgreSQL, tests) the route does not exist.
 */
export async function registerCliRoutes(app: App, deps: AppDeps): Promise<void> {
  app.post('/api/internal/cli/tokens', {
    schema: {
      hide: true,
      body: Type.Object(
        { email: TypedEmail, label: Type.Optional(Type.String({ maxLength: 100 })) },
        { additionalProperties: false },
      ),
      response: { 201: CreatedApiTokenSchema, ...apiErrors },
    },
    preValidation: stringFieldsOnly('email', 'label'),
    onRequest: async (request) => {
      const expected = deps.config.cliSecret;
      if (!expected) throw notFound('Not found.');
      const sent = request.headers[CLI_SECRET_HEADER];
      // compare digests: constant time, whatever the length sent
      if (typeof sent !== 'string' || !safeEqual(hashSecret(sent), hashSecret(expected))) {
        throw unauthenticated('The CLI secret is not valid.');
      }
      request.principal = null;
    },
  }, async (request, reply) => {
    const created = await createApiTokenForStaffEmail(anonymousContext(deps, request), { staffEmail: request.body.email, label: request.body.label ?? '' });
    return reply.code(201).send(created);
  });
}
