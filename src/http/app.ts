import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import path from 'node:path';
import Fastify, { LogController, type RouteOptions } from 'fastify';
import cookie from '@fastify/cookie';
import fastifyStatic from '@fastify/static';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Ajv } from 'ajv';
import addFormats from 'ajv-formats';
import type { AppDeps, App } from './deps.js';
import { registerErrorHandling, renderFrameworkError, sendError, sendScimError } from './plugins/errors.js';
import { registerAuth, type Callers } from './plugins/auth.js';
import { registerPublicUrl } from './plugins/public-url.js';
import { registerSecurityHeaders, swaggerUiPolicy } from './plugins/headers.js';
import { registerInputGuards } from './plugins/input-guards.js';
import { registerOperations } from './plugins/operations.js';
import { registerAfterResponse } from './after-response.js';
import { registerRoutes } from './routes/index.js';
import { loggerOptions, registerRequestLogging, requestIdOf } from './logging.js';
import { BODY_LIMIT_BYTES } from '../domain/limits.js';
import { runInLaneOfUrl } from '../db/lanes.js';
import { HealthSchema, OpenApiDocumentSchema } from './schemas/common.js';
import { lazySerializerFactory, lazyValidator } from './lazy-schemas.js';
import { heedLookUpNotices } from '../db/look-up-notices.js';
import { parseJsonBody } from './json-body.js';

/** The built web app (`vite build`): index.html, and under assets/ files named by a hash of their content. */
const WEB_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../dist/web');

/**
 * How long a browser keeps the web app's assets: a year, and `immutable` (no revalidation on a
 * reload). Every name under assets/ carries a hash of the file's content, so a new build's file has
 * a new name; the shell (index.html), which names them, is never stored. Revalidating each of a
 * page's files on every load cost more than the page itself (docs/architecture.md, "The web app's files").
 */
const ASSET_MAX_AGE = '365d';

export interface BuildOptions {
  /** Where log lines go (stdout unless given; a test reads them). The level is config.logLevel. */
  logStream?: { write(line: string): void };
  /** Sees every route as it is added (the fuzz test enumerates the routes and their schemas with it). */
  onRoute?: (route: RouteOptions) => void;
  /** the clock of the site cache (plugins/auth.ts); tests that count statements stop it */
  siteCacheClock?: () => number;
  /** the instance's caller cache (db/caller-cache.ts); without it every request reads its caller */
  callers?: Callers;
  /** the built web app to serve (dist/web unless given; a test serves a small one of its own) */
  webRoot?: string;
}

export async function buildApp(deps: AppDeps, options: BuildOptions = {}): Promise<App> {
  const app = Fastify({
    logger: loggerOptions(deps.config.logLevel, options.logStream),
    logController: new LogController({ disableRequestLogging: true }), // registerRequestLogging writes one line per request instead of two
    requestIdHeader: false, // requestIdOf accepts a well-formed x-request-id only
    genReqId: requestIdOf,
    trustProxy: deps.config.trustProxy,
    bodyLimit: BODY_LIMIT_BYTES,
    routerOptions: { maxParamLength: 300 },
    frameworkErrors: renderFrameworkError,
    schemaController: { compilersFactory: { buildSerializer: lazySerializerFactory } },
  }).withTypeProvider<TypeBoxTypeProvider>();
  if (options.onRoute) app.addHook('onRoute', options.onRoute);
  registerRequestLogging(app);

  // Every request's database work waits in the lane of its site: on the embedded database the
  // connection is shared out between sites in turn (db/lanes.ts). First hook, so auth is in it too.
  app.addHook('onRequest', (request, _reply, done) => runInLaneOfUrl(request.url, done));

  // Query strings and path parameters arrive as text, so they are coerced ("5" → 5, a lone value →
  // an array); JSON bodies are not: {"email": 12345} is a 400, not the string "12345". No number
  // is Infinity or NaN ("start=Infinity", a JSON 1e999), which ajv would otherwise take for integers.
  // verbose: a refusal carries the schema it broke, whose title names the field in words
  // (http/validation-messages.ts).
  const ajvOptions = { removeAdditional: false, useDefaults: true, allErrors: false, strict: false, strictNumbers: true, verbose: true } as const;
  const bodyAjv = addFormats.default(new Ajv({ ...ajvOptions, coerceTypes: false }));
  const textAjv = addFormats.default(new Ajv({ ...ajvOptions, coerceTypes: 'array' }));
  // (each compiled on its route's first request: http/lazy-schemas.ts)
  app.setValidatorCompiler(({ schema, httpPart }) => lazyValidator(() => (httpPart === 'body' ? bodyAjv : textAjv).compile(schema)));

  // JSON bodies: an empty body under a JSON content type is accepted (jira.js sends one on PUT).
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'string' }, parseJsonBody);

  registerPublicUrl(app, deps.config);
  registerErrorHandling(app);
  await app.register(cookie);
  registerSecurityHeaders(app, deps.config);
  await app.register(swagger, {
    openapi: {
      openapi: '3.0.3',
      info: { title: 'Portico API', version: '0.1.0', description: 'Atlassian-compatible REST API and the admin console JSON API.' },
      components: {
        securitySchemes: {
          basicAuth: { type: 'http', scheme: 'basic', description: 'email:API token' },
          bearerAuth: { type: 'http', scheme: 'bearer' },
        },
      },
      security: [{ basicAuth: [] }, { bearerAuth: [] }],
    },
  });
  await app.register(swaggerUi, {
    routePrefix: '/api/docs',
    // no badge fetched from the swagger.io validator: the docs talk to this server only
    uiConfig: { validatorUrl: null },
    transformStaticCSP: () => swaggerUiPolicy(deps.config),
    // The browsable docs are the REST API integrators call (Atlassian's and Portico's own); the web
    // app's internal JSON API stays in /api/openapi.json. Swagger UI 5 stopped drawing a page of all
    // 150 operations after the first few tags (docs/architecture.md, "One contract between server and web").
    transformSpecificationClone: true,
    transformSpecification: (spec) => restOnly(spec as OpenApiLike),
  });

  registerInputGuards(app);
  registerAfterResponse(app);
  registerAuth(app, deps.db, deps.config, { siteCacheClock: options.siteCacheClock, callers: options.callers });
  // the caller cache hears what changes a JQL look-up or a picker's answer too: what it vouches for is kept
  if (options.callers) heedLookUpNotices(deps.db, options.callers);

  // Liveness: the process answers. It asks the database nothing (readiness, /readyz, does).
  app.get('/healthz', { config: { noCaller: true }, schema: { hide: true, response: { 200: HealthSchema } } }, async () => ({ status: 'ok' as const }));
  registerOperations(app, { db: deps.db, metrics: deps.metrics, metricsToken: deps.config.metricsToken, state: deps.state });
  app.get('/api/openapi.json', { schema: { hide: true, response: { 200: OpenApiDocumentSchema } } }, async () => app.swagger());

  await registerRoutes(app, deps);

  const webRoot = options.webRoot ?? WEB_ROOT;
  const hasWeb = existsSync(path.join(webRoot, 'index.html'));
  if (hasWeb) {
    await app.register(fastifyStatic, { root: webRoot, prefix: '/assets-root/', wildcard: false, serve: false });
    await app.register(fastifyStatic, { root: path.join(webRoot, 'assets'), prefix: '/assets/', decorateReply: false, immutable: true, maxAge: ASSET_MAX_AGE });
  }

  // Unknown API paths answer JSON 404; every other GET is a page of the single-page app — except a
  // file under /assets/ that is not there (an earlier build's, asked for by a page loaded before a
  // redeploy): the shell in its place would be HTML where a script belongs.
  app.setNotFoundHandler((request, reply) => {
    const url = request.url;
    if (/^\/s\/[^/]+\/scim(?:[/?#]|$)/.test(url)) return sendScimError(reply, 404, 'Not found.');
    const notAPage = url.startsWith('/api/') || url.startsWith('/assets/') || /^\/s\/[^/]+\/(rest|api)\//.test(url);
    if (request.method === 'GET' && !notAPage && hasWeb) {
      // no-store: a browser always asks for the shell, so it never runs a stale build's asset names
      return reply.type('text/html; charset=utf-8').header('cache-control', 'no-store').sendFile('index.html', webRoot, { cacheControl: false });
    }
    return sendError(reply, 404, ['Not found.']);
  });

  return app;
}

interface OpenApiLike {
  paths?: Record<string, Record<string, { tags?: string[] }>>;
  [key: string]: unknown;
}

/** The document without the internal API's operations: those whose tag says "(internal)", and the admin console's. */
function restOnly(spec: OpenApiLike): OpenApiLike {
  const paths: NonNullable<OpenApiLike['paths']> = {};
  for (const [path, operations] of Object.entries(spec.paths ?? {})) {
    const kept = Object.fromEntries(Object.entries(operations).filter(([, op]) => !(op.tags ?? []).some((t) => t.endsWith('(internal)') || t === 'admin')));
    if (Object.keys(kept).length > 0) paths[path] = kept;
  }
  return { ...spec, paths };
}
