import { Type } from 'typebox';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { App, AppDeps } from '../../deps.js';
import { anonymousContext, originOf } from '../../deps.js';
import { CUSTOMER_COOKIE, requireSite } from '../../plugins/auth.js';
import { badRequest, unauthenticated } from '../../../domain/errors.js';
import { SSO_SIGN_IN_MINUTES } from '../../../domain/identity-provider.js';
import { LOGIN_FAILED_MESSAGE } from '../../../use-cases/auth/log-in.js';
import { logOut } from '../../../use-cases/auth/log-out.js';
import { completeSsoSignIn, getSignInOptions, startSsoSignIn, type CompletedSignIn, type StartedSignIn } from '../../../use-cases/identity-providers/sso-sign-in.js';
import { completeSamlSignIn, getSamlServiceProviderMetadata, receiveSamlResponse, relayStateOf, startSamlSignIn } from '../../../use-cases/identity-providers/saml-sign-in.js';
import { MAX_SAML_RESPONSE_CHARS, SamlMalformedResponse } from '../../../integrations/saml.js';
import { cookieOptions, customerCookiePath, ignoreExistingSession, requireSameOriginJson, stringFieldsOnly } from './guards.js';
import { SiteParams } from './schemas.js';
import { SignInOptionsSchema, SsoCallbackBody, SsoCallbackSchema, SsoStartBody, SsoStartSchema } from '../../schemas/identity-provider.js';
import { apiErrors } from '../../schemas/common.js';

const tags = ['help center authentication (internal)'];

/** The cookie that binds a sign-in sent to the provider to the browser that started it. */
export const SSO_BROWSER_COOKIE = 'portico_sso';
const ssoCookiePath = (slug: string) => `${customerCookiePath(slug)}/api/portal/sso`;

// Sign-in with the site's identity provider (docs/product.md#identity-providers). Both steps are
// same-origin JSON like the password login: the help center's page asks where to send the browser,
// and the page the provider sends it back to hands over the answer. The callback's refusal is the
// password login's refusal, byte for byte, whatever the reason.
export async function registerSsoRoutes(app: App, deps: AppDeps): Promise<void> {
  app.get('/s/:site/api/portal/sign-in-options', {
    schema: { tags, summary: 'How this help center signs customers in: password, identity provider, or both', params: SiteParams, response: { 200: SignInOptionsSchema, ...apiErrors } },
  }, async (request) => getSignInOptions(anonymousContext(deps, request), { site: requireSite(request) }));

  // OpenID Connect and SAML start and finish alike; only the protocol's own step differs
  const start = (startAt: typeof startSsoSignIn) => async (request: FastifyRequest, reply: FastifyReply) => {
    const site = requireSite(request);
    const started: StartedSignIn = await startAt(anonymousContext(deps, request), { site, next: (request.body as { next?: string }).next });
    reply.setCookie(SSO_BROWSER_COOKIE, started.browserSecret, { ...cookieOptions(deps, request, ssoCookiePath(site.slug)), maxAge: SSO_SIGN_IN_MINUTES * 60 });
    reply.header('cache-control', 'no-store');
    return { redirectUrl: started.redirectUrl };
  };
  const finish = (finishAt: typeof completeSsoSignIn) => async (request: FastifyRequest, reply: FastifyReply) => {
    const site = requireSite(request);
    const ctx = anonymousContext(deps, request);
    const browserSecret = request.cookies[SSO_BROWSER_COOKIE];
    // the binding is single use like the state: gone whatever the outcome
    reply.clearCookie(SSO_BROWSER_COOKIE, cookieOptions(deps, request, ssoCookiePath(site.slug)));
    const result: CompletedSignIn = await finishAt(ctx, { site, query: (request.body as { query: string }).query, browserSecret });
    if (result.outcome === 'refused') throw unauthenticated(LOGIN_FAILED_MESSAGE);
    await logOut(ctx, { sessionId: request.cookies[CUSTOMER_COOKIE], siteId: site.id });
    reply.setCookie(CUSTOMER_COOKIE, result.sessionId, { ...cookieOptions(deps, request, customerCookiePath(site.slug)), maxAge: Math.floor(deps.config.sessionAbsoluteHours * 3600) });
    return { ...result.account, csrfToken: result.csrfToken, next: result.next };
  };

  app.post('/s/:site/api/portal/sso/oidc/start', {
    onRequest: [ignoreExistingSession, requireSameOriginJson],
    preValidation: stringFieldsOnly('next'),
    schema: { tags, summary: "Starts a sign-in at the site's identity provider: where to send the browser", params: SiteParams, body: SsoStartBody, response: { 200: SsoStartSchema, ...apiErrors } },
  }, start(startSsoSignIn));

  app.post('/s/:site/api/portal/sso/oidc/callback', {
    onRequest: [ignoreExistingSession, requireSameOriginJson],
    preValidation: stringFieldsOnly('query'),
    schema: { tags, summary: 'Finishes a sign-in at the identity provider: a session, or the login refusal', params: SiteParams, body: SsoCallbackBody, response: { 200: SsoCallbackSchema, ...apiErrors } },
  }, finish(completeSsoSignIn));

  app.post('/s/:site/api/portal/sso/saml/start', {
    onRequest: [ignoreExistingSession, requireSameOriginJson],
    preValidation: stringFieldsOnly('next'),
    schema: { tags, summary: "Starts a sign-in at the site's SAML identity provider: where to send the browser (HTTP-Redirect binding)", params: SiteParams, body: SsoStartBody, response: { 200: SsoStartSchema, ...apiErrors } },
  }, start(startSamlSignIn));

  app.post('/s/:site/api/portal/sso/saml/callback', {
    onRequest: [ignoreExistingSession, requireSameOriginJson],
    preValidation: stringFieldsOnly('query'),
    schema: { tags, summary: 'Finishes a SAML sign-in whose response the ACS checked: a session, or the login refusal', params: SiteParams, body: SsoCallbackBody, response: { 200: SsoCallbackSchema, ...apiErrors } },
  }, finish(completeSamlSignIn));

  app.get('/s/:site/api/portal/sso/saml/metadata', {
    schema: { tags, summary: "Portico's SAML service-provider metadata for this site (entity id, ACS)", params: SiteParams, produces: ['application/samlmetadata+xml'], response: { 200: Type.String(), ...apiErrors } },
  }, async (request, reply) => {
    const xml = await getSamlServiceProviderMetadata(anonymousContext(deps, request), { site: requireSite(request) });
    return reply.type('application/samlmetadata+xml; charset=utf-8').header('cache-control', 'no-cache').send(xml);
  });

  // The Assertion Consumer Service: the provider's page posts its response here as a form, from its
  // own origin, so no cookie of Portico's comes with it (SameSite=Lax) and no CSRF token can. The
  // response is checked on its own merits and the browser goes on to the callback page, where the
  // cookie of the browser that started the sign-in finishes it. Only a body that is no SAML
  // response at all is a 400; every other failure ends at the login refusal.
  await app.register(async (scope: App) => {
    scope.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string', bodyLimit: MAX_SAML_RESPONSE_CHARS * 2 }, (_request, body, done) => {
      done(null, String(body));
    });
    scope.post('/s/:site/api/portal/sso/saml/acs', {
      onRequest: [ignoreExistingSession],
      schema: {
        tags,
        summary: 'The SAML Assertion Consumer Service: takes the provider\'s signed response (HTTP-POST binding) and sends the browser to the help center\'s callback page',
        params: SiteParams,
        consumes: ['application/x-www-form-urlencoded'],
        body: Type.String({ description: 'SAMLResponse=…&RelayState=…' }),
        response: { 303: Type.Null(), ...apiErrors },
      },
    }, async (request, reply) => {
      const site = requireSite(request);
      const form = new URLSearchParams(request.body);
      const relayState = form.get('RelayState');
      try {
        await receiveSamlResponse(anonymousContext(deps, request), { site, samlResponse: form.get('SAMLResponse') ?? undefined, relayState });
      } catch (error) {
        if (error instanceof SamlMalformedResponse) throw badRequest(error.message, { SAMLResponse: error.message });
        throw error;
      }
      const state = relayStateOf(relayState);
      const next = new URL(`${originOf(request)}/s/${encodeURIComponent(site.slug)}/servicedesk/customer/user/sso/callback`);
      next.searchParams.set('protocol', 'saml');
      if (state) next.searchParams.set('state', state);
      return reply.code(303).header('cache-control', 'no-store').redirect(next.href, 303);
    });
  });
}
