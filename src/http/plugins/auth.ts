import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Db } from '../../db/connection.js';
import { callerWithoutRead, principalWriteEpoch, resolveCaller, type CallerCache, type CallerQuery, type SessionPrincipal } from '../../db/queries/caller.js';

/** The instance's caller cache (db/caller-cache.ts). */
export type Callers = CallerCache<SessionPrincipal>;
import { isSiteSlug, type SiteRow } from '../../db/queries/sites.js';
import { resolveScimToken, type ScimCaller } from '../../db/queries/scim-caller.js';
import { createSiteCache, type SiteCache } from '../../db/queries/site-cache.js';
import { forbidden, notFound, unauthenticated, AppError } from '../../domain/errors.js';
import type { Actor } from '../../domain/policies.js';
import { hashSecret, safeEqual } from '../../domain/secrets.js';

export const STAFF_COOKIE = 'portico_sid';
export const CUSTOMER_COOKIE = 'portico_csid';

declare module 'fastify' {
  interface FastifyRequest {
    /** The site of a /s/{site}/… URL, loaded once per request; undefined elsewhere. */
    site: SiteRow | undefined;
    /** Who is calling, read from the database or from the instance's caller cache (never stale); null when anonymous. */
    principal: SessionPrincipal | null;
    /** db/caller-cache.ts's write epoch as the request began */
    writeEpoch: number;
    /** on the SCIM server's routes: the live SCIM token of the URL's site that the bearer token is, else null */
    scimCaller: ScimCaller | null;
  }
  interface FastifyContextConfig {
    /** a route of the SCIM server (routes/scim): its caller is a site's SCIM token, nothing else */
    scim?: boolean;
  }
  interface FastifyInstance {
    /** The sites of /s/{site}/… URLs, read at most a second ago (db/queries/site-cache.ts). */
    sites: SiteCache;
  }
}

function parseAuthorization(header: string | undefined): { email?: string; token: string } | null {
  if (!header) return null;
  const [scheme, value] = header.split(' ', 2);
  if (!value) return null;
  if (/^bearer$/i.test(scheme)) return { token: value.trim() };
  if (/^basic$/i.test(scheme)) {
    const decoded = Buffer.from(value.trim(), 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    if (colon < 0) return null;
    return { email: decoded.slice(0, colon), token: decoded.slice(colon + 1) };
  }
  return null;
}

/**
 * Resolves the caller of every request: an API token (Basic email:token or Bearer), else the staff
 * session cookie, else — on a /s/{site}/ URL — the customer session cookie of that site; and the
 * site of the URL, from the instance's site cache (at most a second old). The caller, the account's
 * status and a staff account's roles are ONE statement (db/queries/caller.ts), or none when the
 * instance's caller cache holds the credential (db/caller-cache.ts: never stale), so a revoke is
 * felt on the next request on every app instance and an authenticated request costs at most one
 * database round trip before its handler.
 */
export function registerAuth(
  app: FastifyInstance,
  db: Db,
  settings: { sessionIdleMinutes: number },
  options: { siteCacheClock?: () => number; callers?: CallerCache<SessionPrincipal> } = {},
) {
  const sites = createSiteCache(db, { now: options.siteCacheClock });
  const callers = options.callers;
  app.decorate('sites', sites);
  app.decorateRequest('site', undefined);
  app.decorateRequest('principal', null);
  app.decorateRequest('writeEpoch', 0);
  app.decorateRequest('scimCaller', null);

  // A callback hook, not an async one: on most requests the site and the caller are both kept by this
  // instance, and then the hook answers in the same turn, without a promise or a turn of the
  // microtask queue (docs/benchmarks.md, "HTTP throughput of an authenticated request").
  app.addHook('onRequest', (request, _reply, done) => {
    request.writeEpoch = principalWriteEpoch();
    if (request.routeOptions.config.noCaller) return done(); // a machine's call (plugins/operations.ts)
    if (request.routeOptions.config.scim || /^\/s\/[^/]+\/scim\//.test(request.url)) {
      // An identity provider's call: only a SCIM token of the URL's site counts (never a session
      // or an API token); the SCIM routes answer 401 in SCIM's shape without one.
      const slug = (request.params as Record<string, string> | undefined)?.site;
      const auth = parseAuthorization(request.headers.authorization);
      if (!(slug && isSiteSlug(slug) && auth && auth.email === undefined && auth.token.length <= 200)) return done();
      resolveScimToken(db, slug, hashSecret(auth.token), new Date())
        .then((caller) => {
          request.scimCaller = caller ?? null;
          done();
        }, done)
        .catch(done);
      return;
    }
    const params = request.params as Record<string, string> | undefined;
    // the help center's and the REST API's /s/{site}/…, where a customer of the site may call
    const helpCenterSlug = params?.site ?? siteSlugFromUrl(request.url);
    // the admin console's /api/admin/sites/{slug}/…, read here so its use cases need not read it again
    const slug = helpCenterSlug ?? (request.url.startsWith('/api/admin/sites/') ? params?.slug : undefined);
    const found = slug === undefined ? undefined : sites.get(slug);
    if (found instanceof Promise) {
      // (a throw after the wait becomes the request's error, never an unhandled rejection)
      found.then((site) => identify(request, slug, helpCenterSlug, site, done), done).catch(done);
    } else {
      identify(request, slug, helpCenterSlug, found, done);
    }
  });

  /** The caller of a request whose site is known: from the caller cache in this turn, else read. */
  function identify(request: FastifyRequest, slug: string | undefined, helpCenterSlug: string | undefined, site: SiteRow | undefined, done: (error?: Error) => void): void {
    const hasAuthorization = request.headers.authorization !== undefined;
    const auth = parseAuthorization(request.headers.authorization);
    const staffCookie = request.cookies[STAFF_COOKIE];
    const customerCookie = request.cookies[CUSTOMER_COOKIE];
    const query: CallerQuery = {
      siteId: helpCenterSlug !== undefined ? site?.id : undefined,
      tokenHash: auth ? hashSecret(auth.token) : undefined,
      staffSessionHash: !hasAuthorization && staffCookie ? hashSecret(staffCookie) : undefined,
      customerSessionHash: !hasAuthorization && customerCookie && helpCenterSlug !== undefined ? hashSecret(customerCookie) : undefined,
      // Someone signed in both as staff and as a customer of this site acts as the customer in the
      // help center's own API and as staff everywhere else.
      customerFirst: helpCenterSlug !== undefined && /^\/s\/[^/]+\/api\/portal\//.test(request.url),
      idleMinutes: settings.sessionIdleMinutes,
    };
    if (slug !== undefined) request.site = site;
    const settle = (principal: SessionPrincipal | undefined): void => {
      if (hasAuthorization) {
        // A token is all or nothing: no falling back to a cookie when the header is wrong.
        const byToken = principal?.via === 'token' ? principal : undefined;
        const emailMatches = byToken && (auth?.email === undefined || auth.email.trim().toLowerCase() === byToken.email.toLowerCase());
        if (!byToken || !emailMatches) return done(unauthenticated('The API token or email is not valid.'));
      }
      request.principal = principal ?? null;
      done();
    };
    const known = callerWithoutRead(query, callers);
    if (known) return settle(known.caller);
    resolveCaller(db, query, callers).then(settle, done).catch(done);
  }

  if (callers) {
    // A request that may have taken access away (a revoke, a logout, a role removed: it wrote to what
    // the caller statement reads) answers only once every instance has dropped the callers it
    // touched, so the very next request anywhere is refused (docs/architecture.md, "The caller cache").
    app.addHook('onSend', (request, _reply, payload, done) => {
      if (principalWriteEpoch() === request.writeEpoch) return done(null, payload);
      callers.settle().then(
        () => done(null, payload),
        () => done(null, payload),
      );
    });
  }

  // CSRF: a state-changing request authenticated by a cookie must echo the session's token. Checked
  // before validation, so a forged write is refused the same way whatever body it carries.
  app.addHook('preValidation', (request, _reply, done) => {
    const p = request.principal;
    if (!p || p.via !== 'session' || SAFE_METHODS.has(request.method)) return done();
    const sent = request.headers['x-csrf-token'];
    if (typeof sent !== 'string' || !p.csrfToken || !safeEqual(sent, p.csrfToken)) {
      return done(new AppError('csrf', 'Missing or invalid CSRF token. Reload the page and try again.'));
    }
    done();
  });
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

function siteSlugFromUrl(url: string): string | undefined {
  const m = /^\/s\/([^/?#]+)/.exec(url);
  return m ? decodeURIComponent(m[1]) : undefined;
}

/** The site of the URL, or 404. */
export function requireSite(request: FastifyRequest): SiteRow {
  if (!request.site) throw notFound('Site not found.');
  return request.site;
}

export function requirePrincipal(request: FastifyRequest): SessionPrincipal {
  if (!request.principal) throw unauthenticated();
  return request.principal;
}

/** The caller as a policy Actor; a staff account's roles came with the caller (read fresh for this request). */
export function actorOf(request: FastifyRequest): Actor {
  const p = requirePrincipal(request);
  if (p.kind === 'customer') return { kind: 'customer', accountId: p.accountId, siteId: p.siteId! };
  if (!p.roles) throw new Error('a staff principal without roles'); // resolveCaller always reads them
  return { kind: 'staff', accountId: p.accountId, roles: p.roles };
}

export function requireStaff(request: FastifyRequest): SessionPrincipal {
  const p = requirePrincipal(request);
  if (p.kind !== 'staff') throw forbidden();
  return p;
}

export type { FastifyReply };
