import type { FastifyReply, FastifyRequest } from 'fastify';
import type { AppDeps } from '../../deps.js';
import { AppError, badRequest } from '../../../domain/errors.js';
import { isHttps } from '../../../config.js';

/**
 * Login, logout and password-reset endpoints are reached before (or regardless of) a session, so
 * the cookie-session CSRF token cannot protect them. Instead:
 * - the body must be JSON: an HTML form cannot send `application/json` cross-site, and a
 *   cross-site fetch with it needs a CORS preflight that Portico never grants;
 * - a browser's `Origin` header, when present, must be the origin of the public URL. Not the Host
 *   header: a page on another site that resolves its own name to this server (DNS rebinding) sends
 *   a Host and an Origin that agree with each other, but not with the public URL.
 */
export async function requireSameOriginJson(request: FastifyRequest, reply: FastifyReply): Promise<void> {
  const type = String(request.headers['content-type'] ?? '').split(';', 1)[0].trim().toLowerCase();
  if (type !== 'application/json') {
    throw new AppError('unsupported_media_type', 'Send the request body as JSON (Content-Type: application/json).');
  }
  const origin = request.headers.origin;
  if (origin !== undefined && !sameOrigin(origin, request.publicUrl)) {
    throw new AppError('forbidden', 'This request must come from a page of this server.');
  }
  void reply;
}

/** Login and reset ignore any session the browser still carries (they never act through it). */
export async function ignoreExistingSession(request: FastifyRequest): Promise<void> {
  request.principal = null;
}

function sameOrigin(origin: string, publicUrl: string): boolean {
  try {
    const url = new URL(origin);
    if (url.protocol !== 'http:' && url.protocol !== 'https:') return false;
    // URL normalizes both the same way (case, default ports dropped)
    return url.origin === new URL(publicUrl).origin;
  } catch {
    return false;
  }
}

export interface CookieOptions {
  path: string;
  httpOnly: true;
  sameSite: 'lax';
  secure: boolean;
}

/**
 * HttpOnly, SameSite=Lax, no Domain (this host only); Secure whenever the public URL is https, when
 * PORTICO_SECURE_COOKIES=1 forces it, or when a trusted proxy says this request came over HTTPS.
 * Without PORTICO_TRUST_PROXY, request.protocol is the socket's (plain HTTP): a forged
 * X-Forwarded-Proto changes nothing.
 */
export function cookieOptions(deps: AppDeps, request: FastifyRequest, path: string): CookieOptions {
  const secure = deps.config.secureCookies || isHttps(request.publicUrl) || request.protocol === 'https';
  return { path, httpOnly: true, sameSite: 'lax', secure };
}

export function customerCookiePath(slug: string): string {
  return `/s/${slug}`;
}

/**
 * The app's validator coerces types (numbers and booleans to strings, one-element arrays to their
 * element) for the sake of query strings. Credentials must be what they claim to be: this
 * preValidation hook refuses, before coercion, any of these body fields that is not a JSON string.
 */
export function stringFieldsOnly(...fields: string[]) {
  return async (request: FastifyRequest): Promise<void> => {
    const body = request.body;
    if (body === null || typeof body !== 'object' || Array.isArray(body)) return; // the schema refuses it
    const errors: Record<string, string> = {};
    for (const field of fields) {
      const value = (body as Record<string, unknown>)[field];
      if (value !== undefined && typeof value !== 'string') errors[field] = `'${field}' must be a string.`;
    }
    const first = Object.values(errors)[0];
    if (first) throw badRequest(first, errors);
  };
}
