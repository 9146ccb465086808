import type { FastifyReply, FastifyRequest } from 'fastify';
import type { AppDeps } from '../../deps.js';
import { anonymousContext } from '../../deps.js';
import { sendError } from '../../plugins/errors.js';
import { logIn, LoginThrottledError } from '../../../use-cases/auth/log-in.js';
import { logOut } from '../../../use-cases/auth/log-out.js';
import { cookieOptions } from './guards.js';

/**
 * The one login flow behind staff login (/api/auth/login, site null, cookie on /) and customer login
 * (/s/{site}/api/portal/login, cookie on /s/{site}): they differ only in the site, the cookie's name
 * and its path. Answers the LoginResponse body, or 429 with retry-after when throttled.
 */
export async function logInWithCookie(
  deps: AppDeps,
  request: FastifyRequest,
  reply: FastifyReply,
  credentials: { email: string; password: string },
  where: { site: { id: string } | null; cookie: string; cookiePath: string },
) {
  const ctx = anonymousContext(deps, request);
  try {
    const result = await logIn(ctx, { email: credentials.email, password: credentials.password, site: where.site });
    // a session the browser carried before is replaced, not left alive beside the new one
    await logOut(ctx, { sessionId: request.cookies[where.cookie], siteId: where.site?.id ?? null });
    reply.setCookie(where.cookie, result.sessionId, {
      ...cookieOptions(deps, request, where.cookiePath),
      maxAge: Math.floor(deps.config.sessionAbsoluteHours * 3600),
    });
    return { ...result.account, csrfToken: result.csrfToken };
  } catch (error) {
    if (error instanceof LoginThrottledError) {
      return sendError(reply.header('retry-after', String(error.retryAfterSeconds)), 429, [error.message]);
    }
    throw error;
  }
}
