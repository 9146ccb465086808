import type { FastifyInstance, FastifyRequest } from 'fastify';
import { defaultPublicUrl, parsePublicUrl, type Config } from '../../config.js';

declare module 'fastify' {
  interface FastifyInstance {
    /** The address people reach Portico at (PORTICO_PUBLIC_URL, or http://HOST:PORT as bound). */
    readonly publicUrl: string;
  }
  interface FastifyRequest {
    /** The same as the app's publicUrl: never derived from this request's Host or X-Forwarded-* headers. */
    readonly publicUrl: string;
  }
}

/**
 * Every absolute link Portico writes (mail, REST `self` and `_links`, site URLs) starts with the
 * public URL. A request's Host and X-Forwarded-Host are whatever the client typed, so a link built
 * from them would point wherever an attacker wants (a password-reset link to the attacker's host).
 * Even behind a trusted proxy the public URL wins: proxies commonly pass the client's Host through.
 *
 * Without PORTICO_PUBLIC_URL it is http://HOST:PORT, with the port the server actually bound (PORT=0
 * picks a free one), known once it listens.
 */
export function registerPublicUrl(app: FastifyInstance, config: Config): void {
  const configured = config.publicUrl === undefined ? undefined : parsePublicUrl(config.publicUrl);
  let current = configured ?? defaultPublicUrl(config.host, config.port);
  app.decorate('publicUrl', { getter: () => current });
  app.decorateRequest('publicUrl', { getter: () => current });
  if (configured === undefined) {
    app.addHook('onListen', async function () {
      const address = this.server.address();
      if (typeof address === 'object' && address) current = defaultPublicUrl(config.host, address.port);
    });
  }
}

/** An absolute URL on this server for a request's path and query (never its scheme or host). */
export function absoluteUrlOf(request: FastifyRequest, pathAndQuery = request.url): URL {
  // request.url may be in absolute form ("GET http://elsewhere/… HTTP/1.1"): keep only path and query
  const local = new URL(pathAndQuery, 'http://local.invalid');
  return new URL(local.pathname + local.search, request.publicUrl);
}
