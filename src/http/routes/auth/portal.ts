import { Type } from 'typebox';
import type { App, AppDeps } from '../../deps.js';
import { anonymousContext, contextFor } from '../../deps.js';
import { CUSTOMER_COOKIE, requireSite } from '../../plugins/auth.js';
import { sendError } from '../../plugins/errors.js';
import { logOut } from '../../../use-cases/auth/log-out.js';
import { getSessionInfo } from '../../../use-cases/auth/get-session-info.js';
import { PASSWORD_RESET_ACCEPTED_MESSAGE, requestPasswordReset } from '../../../use-cases/auth/request-password-reset.js';
import { completePasswordReset } from '../../../use-cases/auth/complete-password-reset.js';
import { logInWithCookie } from './login.js';
import { cookieOptions, customerCookiePath, ignoreExistingSession, requireSameOriginJson, stringFieldsOnly } from './guards.js';
import { EmailAddress, LoginBody, SiteParams } from './schemas.js';
import { CustomerSessionSchema, LoginResponseSchema, PasswordResetAcceptedSchema } from '../../schemas/auth.js';
import { apiErrors, NoContent } from '../../schemas/common.js';

const tags = ['help center authentication (internal)'];

// A customer's session is valid on its own site only: the cookie's Path is /s/{site}, and the
// auth plugin accepts it only for that site's URLs.
export async function registerPortalAuthRoutes(app: App, deps: AppDeps): Promise<void> {
  app.post('/s/:site/api/portal/login', {
    onRequest: [ignoreExistingSession, requireSameOriginJson],
    preValidation: stringFieldsOnly('email', 'password'),
    schema: { tags, summary: 'Customer login to this site\'s help center', params: SiteParams, body: LoginBody, response: { 200: LoginResponseSchema, ...apiErrors } },
  }, async (request, reply) => {
    const site = requireSite(request);
    return logInWithCookie(deps, request, reply, request.body, { site, cookie: CUSTOMER_COOKIE, cookiePath: customerCookiePath(site.slug) });
  });

  app.post('/s/:site/api/portal/logout', {
    schema: { tags, summary: 'Customer logout: deletes the session', params: SiteParams, response: { 204: NoContent, ...apiErrors } },
  }, async (request, reply) => {
    const site = requireSite(request);
    await logOut(anonymousContext(deps, request), { sessionId: request.cookies[CUSTOMER_COOKIE], siteId: site.id });
    reply.clearCookie(CUSTOMER_COOKIE, cookieOptions(deps, request, customerCookiePath(site.slug)));
    return reply.code(204).send(null);
  });

  app.get('/s/:site/api/portal/session', {
    schema: {
      tags,
      summary: 'The signed-in customer of this help center',
      params: SiteParams,
      response: { 200: CustomerSessionSchema, ...apiErrors },
    },
  }, async (request, reply) => {
    const site = requireSite(request);
    const p = request.principal;
    if (!p || p.kind !== 'customer' || p.siteId !== site.id) {
      return sendError(reply, 401, ['You are not logged in to this help center.']);
    }
    const info = await getSessionInfo(await contextFor(deps, request), { csrfToken: p.csrfToken });
    if (info.kind !== 'customer') return sendError(reply, 401, ['You are not logged in to this help center.']);
    reply.header('cache-control', 'no-store');
    return { account: info.account, csrfToken: info.csrfToken, site: info.site };
  });

  app.post('/s/:site/api/portal/password-reset', {
    onRequest: [ignoreExistingSession, requireSameOriginJson],
    preValidation: stringFieldsOnly('email'),
    schema: {
      tags,
      summary: 'Ask for a password-reset link (same answer whether or not the account exists)',
      params: SiteParams,
      body: Type.Object({ email: EmailAddress }, { additionalProperties: false }),
      response: { 202: PasswordResetAcceptedSchema, ...apiErrors },
    },
  }, async (request, reply) => {
    const site = requireSite(request);
    const ctx = anonymousContext(deps, request);
    const email = request.body.email;
    // The answer is the same, in content and in time, whatever the email: the look-up, the token and
    // the queued mail all happen after it (http/after-response.ts).
    app.afterResponse.schedule(reply, () => requestPasswordReset(ctx, { site, email }));
    return reply.code(202).send({ message: PASSWORD_RESET_ACCEPTED_MESSAGE });
  });

  app.post('/s/:site/api/portal/password-reset/complete', {
    onRequest: [ignoreExistingSession, requireSameOriginJson],
    preValidation: stringFieldsOnly('token', 'password'),
    schema: {
      tags,
      summary: 'Set a new password with a one-time link',
      params: SiteParams,
      body: Type.Object(
        {
          token: Type.String({ minLength: 1, maxLength: 200 }),
          password: Type.String({ maxLength: 1000 }),
        },
        { additionalProperties: false },
      ),
      response: { 204: NoContent, ...apiErrors },
    },
  }, async (request, reply) => {
    const site = requireSite(request);
    await completePasswordReset(anonymousContext(deps, request), { site, token: request.body.token, password: request.body.password });
    // the browser's session of this site (if any) was deleted with the others
    reply.clearCookie(CUSTOMER_COOKIE, cookieOptions(deps, request, customerCookiePath(site.slug)));
    return reply.code(204).send(null);
  });
}
