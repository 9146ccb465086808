import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Db } from '../../db/connection.js';
import { findActiveApiToken, findActiveSession, touchSession, type SessionPrincipal } from '../../db/queries/sessions.js';
import { findSiteBySlug, type SiteRow } from '../../db/queries/sites.js';
import { loadStaffRoles } from '../../db/queries/roles.js';
import { forbidden, notFound, unauthenticated, AppError } from '../../domain/errors.js';
import type { Actor } from '../../domain/policies.js';
import { hashSecret, safeEqual } from '../../domain/secrets.js';

export const STAFF_COOKIE = 'portico_sid';
export const CUSTOMER_COOKIE = 'portico_csid';

declare module 'fastify' {
  interface FastifyRequest {
    /** The site of a /s/{site}/… URL, loaded once per request; undefined elsewhere. */
    site: SiteRow | undefined;
    /** Who is calling, re-read from the database for this request; null when anonymous. */
    principal: SessionPrincipal | null;
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
 * session cookie, else — on a /s/{site}/ URL — the customer session cookie of that site. Each is
 * one indexed query that also checks the account is active, so a revoke is felt on the next request
 * on every app instance.
 */
export function registerAuth(app: FastifyInstance, db: Db, settings: { sessionIdleMinutes: number }) {
  app.decorateRequest('site', undefined);
  app.decorateRequest('principal', null);

  app.addHook('onRequest', async (request, reply) => {
    const slug = (request.params as Record<string, string> | undefined)?.site ?? siteSlugFromUrl(request.url);
    if (slug !== undefined) {
      request.site = slug.length <= 63 ? await findSiteBySlug(db, slug) : undefined;
    }

    const auth = parseAuthorization(request.headers.authorization);
    if (request.headers.authorization !== undefined) {
      const principal = auth ? await findActiveApiToken(db, hashSecret(auth.token)) : undefined;
      const emailMatches = principal && (auth?.email === undefined || auth.email.trim().toLowerCase() === principal.email.toLowerCase());
      if (!principal || !emailMatches) {
        throw unauthenticated('The API token or email is not valid.');
      }
      request.principal = principal; // the look-up recorded the token's use (findActiveApiToken)
      return;
    }

    // Someone signed in both as staff and as a customer of this site acts as the customer in the
    // help center's own API and as staff everywhere else.
    const customerFirst = request.site !== undefined && /^\/s\/[^/]+\/api\/portal\//.test(request.url);
    const order = customerFirst ? [resolveCustomer, resolveStaff] : [resolveStaff, resolveCustomer];
    for (const resolve of order) {
      const principal = await resolve(request);
      if (principal) {
        request.principal = principal;
        await touchSession(db, principal, settings.sessionIdleMinutes);
        return;
      }
    }
    void reply;
  });

  async function resolveStaff(request: FastifyRequest): Promise<SessionPrincipal | undefined> {
    const cookie = request.cookies[STAFF_COOKIE];
    if (!cookie) return undefined;
    const principal = await findActiveSession(db, hashSecret(cookie));
    return principal?.kind === 'staff' ? principal : undefined;
  }

  async function resolveCustomer(request: FastifyRequest): Promise<SessionPrincipal | undefined> {
    const cookie = request.cookies[CUSTOMER_COOKIE];
    if (!cookie || !request.site) return undefined;
    const principal = await findActiveSession(db, hashSecret(cookie));
    return principal?.kind === 'customer' && principal.siteId === request.site.id ? principal : undefined;
  }

  // CSRF: a state-changing request authenticated by a cookie must echo the session's token. Checked
  // before validation, so a forged write is refused the same way whatever body it carries.
  app.addHook('preValidation', async (request) => {
    const p = request.principal;
    if (!p || p.via !== 'session' || SAFE_METHODS.has(request.method)) return;
    const sent = request.headers['x-csrf-token'];
    if (typeof sent !== 'string' || !p.csrfToken || !safeEqual(sent, p.csrfToken)) {
      throw new AppError('csrf', 'Missing or invalid CSRF token. Reload the page and try again.');
    }
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

/** The caller as a policy Actor, with staff roles read fresh from the database. */
export async function loadActor(db: Db, request: FastifyRequest): Promise<Actor> {
  const p = requirePrincipal(request);
  if (p.kind === 'customer') return { kind: 'customer', accountId: p.accountId, siteId: p.siteId! };
  return { kind: 'staff', accountId: p.accountId, roles: await loadStaffRoles(db, p.accountId) };
}

export function requireStaff(request: FastifyRequest): SessionPrincipal {
  const p = requirePrincipal(request);
  if (p.kind !== 'staff') throw forbidden();
  return p;
}

export type { FastifyReply };
