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
import { ImportReportSchema } from '../../schemas/admin.js';
import { importSiteCustomersFromCli } from '../../../use-cases/customers/import-customers.js';
import { IMPORT_MAX_BYTES } from '../../../domain/customer-import.js';
import { csvBodies, CsvBody, csvText } from '../admin/csv-body.js';
import type { FastifyRequest } from 'fastify';
import { PassThrough, type Readable } from 'node:stream';
import { setProjectMailboxFromCli } from '../../../use-cases/inbound-mail/project-mailbox.js';

export const CLI_SECRET_HEADER = 'x-portico-cli-secret';

/**
 * While a server holds a PGlite data dir (one process only), `portico token create` and `portico
 * customers import` work through it: they read the per-start secret from <dataDir>/server.json
 * (mode 0600, so only the server's OS user can) and call these routes. Without a secret
 * (PostgreSQL, tests) the routes do not exist.
 */
/** The guard of an internal CLI route: the server's per-start secret, else 404 (no secret) or 401. */
export function cliOnly(deps: AppDeps) {
  return async (request: FastifyRequest) => {
    const expected = deps.config.cliSecret;
    if (!expected) throw notFound('Not found.');
    const sent = request.headers[CLI_SECRET_HEADER];
    // compare digests: constant time, whatever the length sent
    if (typeof sent !== 'string' || !safeEqual(hashSecret(sent), hashSecret(expected))) {
      throw unauthenticated('The CLI secret is not valid.');
    }
    request.principal = null;
  };
}

export async function registerCliRoutes(app: App, deps: AppDeps): Promise<void> {
  const cliOnlyRoute = cliOnly(deps);

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
    onRequest: cliOnlyRoute,
  }, async (request, reply) => {
    const created = await createApiTokenForStaffEmail(anonymousContext(deps, request), { staffEmail: request.body.email, label: request.body.label ?? '' });
    return reply.code(201).send(created);
  });

  app.post('/api/internal/cli/mailbox', {
    schema: {
      hide: true,
      body: Type.Object(
        { site: Type.String({ minLength: 1, maxLength: 63 }), project: Type.String({ minLength: 1, maxLength: 20 }), url: Type.String({ minLength: 1, maxLength: 2000 }), tls: Type.Optional(Type.Boolean()) },
        { additionalProperties: false },
      ),
      response: { 200: Type.Object({ projectKey: Type.String(), host: Type.String(), port: Type.Integer(), tls: Type.Boolean(), user: Type.String(), folder: Type.String() }), ...apiErrors },
    },
    onRequest: cliOnlyRoute,
  }, async (request) => {
    const m = await setProjectMailboxFromCli(anonymousContext(deps, request), { siteSlug: request.body.site, projectKey: request.body.project, url: request.body.url, tls: request.body.tls });
    return { projectKey: m.projectKey, host: m.host, port: m.port, tls: m.tls, user: m.user, folder: m.folder };
  });

  // `portico backup` while this server holds the embedded data directory: the backup streams out as
  // it is written (a gzipped tar; db/backup.ts), holding the database's one connection meanwhile.
  app.post('/api/internal/cli/backup', {
    schema: {
      hide: true,
      response: { 200: Type.Unsafe<Readable>({ type: 'string', description: 'a gzipped tar of the data directory' }), ...apiErrors },
    },
    onRequest: cliOnlyRoute,
  }, async (request, reply) => {
    if (!deps.backup) throw notFound('Not found.');
    const out = new PassThrough();
    deps.backup(out).catch((error: Error) => {
      request.log.error({ err: error }, 'backup failed');
      out.destroy(error); // the command sees the answer cut short and keeps no file
    });
    return reply.header('content-type', 'application/gzip').send(out);
  });

  await app.register(async (scope: App) => {
    csvBodies(scope);
    scope.post('/api/internal/cli/customers/import', {
      bodyLimit: IMPORT_MAX_BYTES,
      schema: {
        hide: true,
        querystring: Type.Object(
          { site: Type.String({ minLength: 1, maxLength: 63 }), dryRun: Type.Optional(Type.Boolean({ default: false })) },
          { additionalProperties: false },
        ),
        body: CsvBody,
        response: { 200: ImportReportSchema, ...apiErrors },
      },
      onRequest: cliOnlyRoute,
    }, async (request) =>
      importSiteCustomersFromCli(anonymousContext(deps, request), { siteSlug: request.query.site, csv: [csvText(request)], dryRun: request.query.dryRun ?? false }),
    );
  });
}
