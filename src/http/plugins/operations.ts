import http from 'node:http';
import { Type } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import type { Db } from '../../db/connection.js';
import type { Metrics } from '../../metrics.js';
import { readinessCheck } from '../../use-cases/operations/check-readiness.js';
import { sendError } from './errors.js';
import { hashSecret, safeEqual } from '../../domain/secrets.js';
import { ApiErrorSchema } from '../schemas/common.js';

// What an operator's tools call (docs/operations.md): GET /metrics for Prometheus, GET /readyz for
// a load balancer or an orchestrator. /healthz, the liveness check, stays in app.ts: it asks nothing.

declare module 'fastify' {
  interface FastifyContextConfig {
    /**
     * The route is called by machines with no Portico credential: the auth plugin does not resolve a
     * caller for it (a metrics token in `Authorization: Bearer` is not an API token).
     */
    noCaller?: boolean;
  }
}

/** How long /readyz waits for the database before it answers 503. */
export const READINESS_TIMEOUT_MS = 2000;

/** The state of a running server that /readyz reports: set while it shuts down (server.ts). */
export interface ServerState {
  draining: boolean;
}

export interface OperationsDeps {
  db: Db;
  metrics?: Metrics;
  /** PORTICO_METRICS_TOKEN */
  metricsToken: string | undefined;
  state?: ServerState;
}

/**
 * Whether an Authorization header carries the metrics token: `Bearer <token>`, compared in constant
 * time (the digests of both, so neither the length nor a common prefix shows in the time it takes).
 */
export function carriesMetricsToken(header: string | undefined, token: string): boolean {
  const m = /^Bearer +(\S+) *$/i.exec(header ?? '');
  return safeEqual(hashSecret(m ? m[1] : ''), hashSecret(token)) && m !== null;
}

/** Who may read the metrics, and how an answer is written: shared by the app's route and the metrics port. */
function metricsAnswer(metrics: Metrics | undefined, token: string | undefined, authorization: string | undefined, onLoopbackPort: boolean) {
  // No token and not on the loopback port: there is nothing here.
  if (!metrics || (token === undefined && !onLoopbackPort)) return { status: 404 as const };
  if (token !== undefined && !carriesMetricsToken(authorization, token)) return { status: 401 as const };
  return { status: 200 as const, scrape: metrics.scrape() };
}

export function registerOperations(app: FastifyInstance, deps: OperationsDeps): void {
  const { metrics } = deps;
  if (metrics) {
    // A couple of observations per request, on series looked up once per route and status (metrics.ts).
    app.addHook('onResponse', (request, reply, done) => {
      metrics.requestAnswered(request.method, request.routeOptions.url, reply.statusCode, reply.elapsedTime);
      done();
    });
  }

  app.get(
    '/metrics',
    {
      config: { noCaller: true },
      schema: {
        hide: true,
        response: { 200: Type.String({ description: "Prometheus's text format" }), 401: ApiErrorSchema, 404: ApiErrorSchema },
      },
    },
    async (request, reply) => {
      const answer = metricsAnswer(metrics, deps.metricsToken, request.headers.authorization, false);
      if (answer.status === 404) return sendError(reply, 404, ['Not found.']);
      if (answer.status === 401) {
        return sendError(reply.header('www-authenticate', 'Bearer realm="portico metrics"'), 401, ['The metrics token is missing or wrong.']);
      }
      const { contentType, body } = await answer.scrape;
      return reply.type(contentType).header('cache-control', 'no-store').send(body);
    },
  );

  const ready = readinessCheck(deps.db);
  app.get(
    '/readyz',
    {
      config: { noCaller: true },
      schema: { hide: true, response: { 200: ReadinessSchema, 503: ReadinessSchema } },
    },
    async (request, reply) => {
      const readiness = await ready({
        draining: deps.state?.draining ?? false,
        timeoutMs: READINESS_TIMEOUT_MS,
        onError: (error) => request.log.warn({ err: error }, 'readiness: the database did not answer'),
      });
      const { ready: isReady, ...body } = readiness;
      return reply
        .code(isReady ? 200 : 503)
        .header('cache-control', 'no-store')
        .send({ status: isReady ? ('ready' as const) : ('not ready' as const), ...body });
    },
  );
}

const ReadinessSchema = Type.Object({
  status: Type.Union([Type.Literal('ready'), Type.Literal('not ready')]),
  problems: Type.Array(Type.String(), { description: 'why it is not ready, one sentence each; empty when ready' }),
  database: Type.Union([Type.Literal('ok'), Type.Literal('unreachable'), Type.Literal('timeout')]),
  migrations: Type.Union([Type.Literal('done'), Type.Literal('pending'), Type.Literal('newer'), Type.Literal('unknown')]),
  draining: Type.Boolean({ description: 'the server is shutting down' }),
});

/**
 * PORTICO_METRICS_PORT: GET /metrics alone, on 127.0.0.1 only — for a Prometheus (or an agent) on the
 * same machine, without a token unless PORTICO_METRICS_TOKEN is set too. Everything else is 404.
 */
export async function startMetricsListener(metrics: Metrics, options: { port: number; token: string | undefined }): Promise<{ url: string; close(): Promise<void> }> {
  const server = http.createServer((request, response) => {
    const path = (request.url ?? '').split('?')[0];
    const answer = path === '/metrics' && (request.method === 'GET' || request.method === 'HEAD')
      ? metricsAnswer(metrics, options.token, request.headers.authorization, true)
      : { status: 404 as const };
    if (answer.status !== 200) {
      const headers: http.OutgoingHttpHeaders = { 'content-type': 'text/plain; charset=utf-8' };
      if (answer.status === 401) headers['www-authenticate'] = 'Bearer realm="portico metrics"';
      response.writeHead(answer.status, headers).end(answer.status === 401 ? 'The metrics token is missing or wrong.\n' : 'Not found.\n');
      return;
    }
    answer.scrape.then(
      ({ contentType, body }) => response.writeHead(200, { 'content-type': contentType, 'cache-control': 'no-store' }).end(request.method === 'HEAD' ? undefined : body),
      () => response.writeHead(500, { 'content-type': 'text/plain; charset=utf-8' }).end('The metrics could not be read.\n'),
    );
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : options.port;
  return {
    url: `http://127.0.0.1:${port}/metrics`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
