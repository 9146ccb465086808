import type { Writable } from 'node:stream';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { Config } from '../config.js';
import type { Db } from '../db/connection.js';
import type { Mailer } from '../mailer.js';
import type { Metrics } from '../metrics.js';
import type { ServerState } from './plugins/operations.js';
import type { ActorContext, AnonymousContext, AppContext, WebhookQueue } from '../use-cases/context.js';
import type { Actor } from '../domain/policies.js';
import { actorOf } from './plugins/auth.js';

export interface AppDeps {
  db: Db;
  mailer: Mailer;
  /** the job runner's webhook queue (jobs/index.ts); absent: deliveries wait in the outbox */
  webhooks?: WebhookQueue;
  config: Config;
  /** the server's metrics (src/metrics.ts); without them nothing is counted and /metrics is 404 */
  metrics?: Metrics;
  /** whether the server is shutting down, for /readyz (server.ts) */
  state?: ServerState;
  /**
   * A server on an embedded data directory: writes a consistent backup of it to `out` (the internal
   * route `portico backup` calls while the server holds the directory; db/backup.ts).
   */
  backup?: (out: Writable) => Promise<void>;
}

export type App = FastifyInstance<any, any, any, any, TypeBoxTypeProvider>;

/**
 * The base of every absolute link in an answer or a mail: the configured public URL, never the
 * request's Host or X-Forwarded-* headers (see plugins/public-url.ts).
 */
export function originOf(request: FastifyRequest): string {
  return request.publicUrl;
}

/** The use-case context of an authenticated request (401 when anonymous). */
export async function contextFor(deps: AppDeps, request: FastifyRequest): Promise<ActorContext> {
  return requestContext(deps, request, actorOf(request), request.site);
}

/** The context of a request that may be anonymous (login, password reset). */
export function anonymousContext(deps: AppDeps, request: FastifyRequest): AnonymousContext {
  return requestContext(deps, request, null, undefined);
}

/** A request's use-case context: who calls (`actor`, and the site its URL names) and what every call has. */
function requestContext<A extends Actor | null>(deps: AppDeps, request: FastifyRequest, actor: A, urlSite: ActorContext['urlSite']): AppContext & { actor: A; urlSite: ActorContext['urlSite'] } {
  return {
    db: deps.db,
    actor,
    urlSite,
    ip: request.ip ?? null,
    userAgent: request.headers['user-agent']?.slice(0, 512) ?? null,
    mailer: deps.mailer,
    webhooks: deps.webhooks,
    config: deps.config,
    origin: originOf(request),
    counters: deps.metrics,
  };
}

/**
 * The context of a help-center page a visitor who is not logged in may read when the site allows it
 * (docs/product.md#signup): the signed-in caller's, or an anonymous one (the use case decides).
 */
export async function callerOrVisitorContext(deps: AppDeps, request: FastifyRequest): Promise<ActorContext | AnonymousContext> {
  return request.principal ? contextFor(deps, request) : anonymousContext(deps, request);
}
