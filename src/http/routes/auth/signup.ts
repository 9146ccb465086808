import { Type } from 'typebox';
import type { App, AppDeps } from '../../deps.js';
import { anonymousContext } from '../../deps.js';
import { CUSTOMER_COOKIE, requireSite } from '../../plugins/auth.js';
import { sendError } from '../../plugins/errors.js';
import { getSignupOffer } from '../../../use-cases/onboarding/signup-offer.js';
import { SIGNUP_ACCEPTED_MESSAGE, signUpCustomer, SignupThrottledError } from '../../../use-cases/onboarding/sign-up.js';
import { describeSetPasswordLink, setPasswordFromLink } from '../../../use-cases/onboarding/set-password-from-link.js';
import { logOut } from '../../../use-cases/auth/log-out.js';
import { cookieOptions, customerCookiePath, ignoreExistingSession, requireSameOriginJson, stringFieldsOnly } from './guards.js';
import { SiteParams, TypedEmail } from './schemas.js';
import { LoginResponseSchema } from '../../schemas/auth.js';
import { apiErrors } from '../../schemas/common.js';
import { SignupOfferSchema } from '../../schemas/signup.js';

const tags = ['help center sign-up (internal)'];
const Token = Type.String({ minLength: 1, maxLength: 200 });

// The help center's sign-up form and the page its verification link and an invitation link open
// (docs/product.md#signup). Same-origin JSON like login; nobody is signed in for these.
export async function registerSignupRoutes(app: App, deps: AppDeps): Promise<void> {
  app.get('/s/:site/api/portal/signup', {
    schema: {
      tags,
      summary: 'Whether this help center offers sign-up, and whether it can be browsed without logging in',
      params: SiteParams,
      response: { 200: SignupOfferSchema, ...apiErrors },
    },
  }, async (request) => {
    return getSignupOffer(anonymousContext(deps, request), { site: requireSite(request) });
  });

  app.post('/s/:site/api/portal/signup', {
    onRequest: [ignoreExistingSession, requireSameOriginJson],
    preValidation: stringFieldsOnly('email', 'displayName'),
    schema: {
      tags,
      summary: 'Sign up: the same answer for a new, an existing and a revoked address; the mail follows',
      params: SiteParams,
      body: Type.Object({ email: TypedEmail, displayName: Type.String({ maxLength: 1000 }) }, { additionalProperties: false }),
      response: { 202: Type.Object({ message: Type.String() }), ...apiErrors },
    },
  }, async (request, reply) => {
    const site = requireSite(request);
    const ctx = anonymousContext(deps, request);
    try {
      const { afterAnswer } = await signUpCustomer(ctx, { site, email: request.body.email, displayName: request.body.displayName });
      // whether the address has an account decides what is written and mailed: after the answer (http/after-response.ts)
      app.afterResponse.schedule(reply, afterAnswer);
    } catch (error) {
      if (error instanceof SignupThrottledError) return sendError(reply.header('retry-after', String(error.retryAfterSeconds)), 429, [error.message]);
      throw error;
    }
    return reply.code(202).send({ message: SIGNUP_ACCEPTED_MESSAGE });
  });

  app.post('/s/:site/api/portal/set-password/check', {
    onRequest: [requireSameOriginJson],
    preValidation: stringFieldsOnly('token'),
    schema: {
      tags,
      summary: 'What a verification or invitation link is for (400 when it is no longer valid)',
      params: SiteParams,
      body: Type.Object({ token: Token }, { additionalProperties: false }),
      response: {
        200: Type.Object({ purpose: Type.Union([Type.Literal('verification'), Type.Literal('invitation')]), email: Type.String(), displayName: Type.String() }),
        ...apiErrors,
      },
    },
  }, async (request, reply) => {
    const site = requireSite(request);
    reply.header('cache-control', 'no-store');
    return describeSetPasswordLink(anonymousContext(deps, request), { site, token: request.body.token });
  });

  app.post('/s/:site/api/portal/set-password', {
    onRequest: [ignoreExistingSession, requireSameOriginJson],
    preValidation: stringFieldsOnly('token', 'password'),
    schema: {
      tags,
      summary: 'Choose the password from a verification or invitation link, and log in',
      params: SiteParams,
      body: Type.Object({ token: Token, password: Type.String({ maxLength: 1000 }) }, { additionalProperties: false }),
      response: { 200: LoginResponseSchema, ...apiErrors },
    },
  }, async (request, reply) => {
    const site = requireSite(request);
    const ctx = anonymousContext(deps, request);
    const result = await setPasswordFromLink(ctx, { site, token: request.body.token, password: request.body.password });
    // a session the browser carried before is replaced, as at login
    await logOut(ctx, { sessionId: request.cookies[CUSTOMER_COOKIE], siteId: site.id });
    reply.setCookie(CUSTOMER_COOKIE, result.sessionId, {
      ...cookieOptions(deps, request, customerCookiePath(site.slug)),
      maxAge: Math.floor(deps.config.sessionAbsoluteHours * 3600),
    });
    return { ...result.account, csrfToken: result.csrfToken };
  });
}
