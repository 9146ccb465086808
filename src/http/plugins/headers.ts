import type { FastifyInstance } from 'fastify';
import helmet from 'helmet';
import { isHttps, parsePublicUrl, type Config } from '../../config.js';

/**
 * The Content-Security-Policy of every page and answer. The web app is built by Vite into files
 * served from this host, so nothing inline runs: script-src 'self' without 'unsafe-inline', no
 * framing by any site (frame-ancestors 'none', clickjacking), no plugins, forms post only here.
 * Inline styles set by React through the DOM (element.style) are not governed by style-src.
 */
const APP_POLICY = {
  defaultSrc: ["'self'"],
  scriptSrc: ["'self'"],
  scriptSrcAttr: ["'none'"],
  styleSrc: ["'self'"],
  imgSrc: ["'self'", 'data:'],
  fontSrc: ["'self'"],
  connectSrc: ["'self'"],
  objectSrc: ["'none'"],
  baseUri: ["'none'"],
  formAction: ["'self'"],
  frameAncestors: ["'none'"],
};

/** One year, the value HSTS preload lists ask for; sent only when the public URL is https. */
export const HSTS_MAX_AGE_SECONDS = 31_536_000;

/**
 * Security headers on every answer (helmet): the policy above, nosniff, a same-origin
 * Referrer-Policy (a reset link's token never leaves in a Referer; same-origin, unlike no-referrer,
 * keeps browsers sending the Origin the login check reads), X-Frame-Options DENY for old browsers,
 * and HSTS only when people reach Portico over https (on plain http it would be ignored, or lock a
 * browser out of a host that has no TLS).
 *
 * And Cache-Control: no-store on every answer to an authenticated request and every answer that
 * sets or clears a cookie, so no browser or proxy cache keeps a person's data or a session id for
 * the next user. Answers that are the same for everyone and say so themselves (`public`: the built
 * web app's files, the avatar) keep their caching.
 */
export function registerSecurityHeaders(app: FastifyInstance, config: Config): void {
  const https = config.publicUrl !== undefined && isHttps(parsePublicUrl(config.publicUrl));
  // Built once: the headers are the same for every answer. (@fastify/helmet builds helmet's
  // middleware again for every request, parsing the policy each time: 4% of a request's time.)
  const setHeaders = helmet({
    contentSecurityPolicy: {
      useDefaults: false,
      directives: { ...APP_POLICY, ...(https ? { upgradeInsecureRequests: [] } : {}) },
    },
    frameguard: { action: 'deny' },
    referrerPolicy: { policy: 'same-origin' },
    strictTransportSecurity: https ? { maxAge: HSTS_MAX_AGE_SECONDS, includeSubDomains: true } : false,
  });
  app.addHook('onRequest', (request, reply, done) => setHeaders(request.raw, reply.raw, () => done()));

  app.addHook('onSend', async (request, reply, payload) => {
    const cacheControl = String(reply.getHeader('cache-control') ?? '');
    const setsCookie = reply.hasHeader('set-cookie');
    if (setsCookie || (request.principal && !/\bpublic\b/i.test(cacheControl))) {
      reply.header('cache-control', 'no-store');
    }
    return payload;
  });
}

/**
 * The browsable API documents (/api/docs) run Swagger UI, which styles itself with inline style
 * elements: only there are inline styles allowed. Scripts stay 'self' only, and no page may frame it.
 */
export function swaggerUiPolicy(config: Config): string {
  const https = config.publicUrl !== undefined && isHttps(parsePublicUrl(config.publicUrl));
  const directives: Record<string, string[]> = {
    ...APP_POLICY,
    styleSrc: ["'self'", "'unsafe-inline'"],
    ...(https ? { upgradeInsecureRequests: [] } : {}),
  };
  return Object.entries(directives)
    .map(([name, values]) => [name.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`), ...values].join(' '))
    .join('; ');
}
