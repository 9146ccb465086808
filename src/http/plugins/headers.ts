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
  // helmet says which headers; they are the same for every answer, so they are asked for once and
  // each answer gets the same set in one call. (@fastify/helmet built helmet's middleware again for
  // every request, parsing the policy each time: 4% of a request's time; running the built one's
  // eleven middlewares on each request was still 2–3% of a `myself`.)
  const headers = headersSetBy(
    helmet({
      contentSecurityPolicy: {
        useDefaults: false,
        directives: { ...APP_POLICY, ...(https ? { upgradeInsecureRequests: [] } : {}) },
      },
      frameguard: { action: 'deny' },
      referrerPolicy: { policy: 'same-origin' },
      strictTransportSecurity: https ? { maxAge: HSTS_MAX_AGE_SECONDS, includeSubDomains: true } : false,
    }),
  );
  app.addHook('onRequest', (_request, reply, done) => {
    reply.headers(headers);
    done();
  });

  app.addHook('onSend', (request, reply, payload, done) => {
    const cacheControl = String(reply.getHeader('cache-control') ?? '');
    const setsCookie = reply.hasHeader('set-cookie');
    if (setsCookie || (request.principal && !/\bpublic\b/i.test(cacheControl))) {
      reply.header('cache-control', 'no-store');
    }
    done(null, payload);
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

/**
 * The headers a helmet middleware sets, read by running it once on a stand-in answer. Helmet's
 * headers depend on its options only (no policy here is a function of the request), and it sets each
 * with setHeader; it also removes X-Powered-By, which Fastify never sends.
 */
function headersSetBy(middleware: ReturnType<typeof helmet>): Record<string, string> {
  const set: Record<string, string> = {};
  const answer = {
    setHeader: (name: string, value: string | number | readonly string[]) => {
      set[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : String(value);
    },
    removeHeader: () => {},
  };
  let called = false;
  middleware({ headers: {} } as never, answer as never, () => (called = true));
  if (!called) throw new Error('helmet did not finish at once');
  return set;
}
