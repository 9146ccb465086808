import type { App, AppDeps } from '../../deps.js';
import { anonymousContext } from '../../deps.js';
import { CUSTOMER_COOKIE, requireSite } from '../../plugins/auth.js';
import { unauthenticated } from '../../../domain/errors.js';
import { SSO_SIGN_IN_MINUTES } from '../../../domain/identity-provider.js';
import { LOGIN_FAILED_MESSAGE } from '../../../use-cases/auth/log-in.js';
import { logOut } from '../../../use-cases/auth/log-out.js';
import { completeSsoSignIn, getSignInOptions, startSsoSignIn } from '../../../use-cases/identity-providers/sso-sign-in.js';
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

  app.post('/s/:site/api/portal/sso/oidc/start', {
    onRequest: [ignoreExistingSession, requireSameOriginJson],
    preValidation: stringFieldsOnly('next'),
    schema: { tags, summary: "Starts a sign-in at the site's identity provider: where to send the browser", params: SiteParams, body: SsoStartBody, response: { 200: SsoStartSchema, ...apiErrors } },
  }, async (request, reply) => {
    const site = requireSite(request);
    const started = await startSsoSignIn(anonymousContext(deps, request), { site, next: request.body.next });
    reply.setCookie(SSO_BROWSER_COOKIE, started.browserSecret, { ...cookieOptions(deps, request, ssoCookiePath(site.slug)), maxAge: SSO_SIGN_IN_MINUTES * 60 });
    reply.header('cache-control', 'no-store');
    return { redirectUrl: started.redirectUrl };
  });

  app.post('/s/:site/api/portal/sso/oidc/callback', {
    onRequest: [ignoreExistingSession, requireSameOriginJson],
    preValidation: stringFieldsOnly('query'),
    schema: { tags, summary: 'Finishes a sign-in at the identity provider: a session, or the login refusal', params: SiteParams, body: SsoCallbackBody, response: { 200: SsoCallbackSchema, ...apiErrors } },
  }, async (request, reply) => {
    const site = requireSite(request);
    const ctx = anonymousContext(deps, request);
    const browserSecret = request.cookies[SSO_BROWSER_COOKIE];
    // the binding is single use like the state: gone whatever the outcome
    reply.clearCookie(SSO_BROWSER_COOKIE, cookieOptions(deps, request, ssoCookiePath(site.slug)));
    const result = await completeSsoSignIn(ctx, { site, query: request.body.query, browserSecret });
    if (result.outcome === 'refused') throw unauthenticated(LOGIN_FAILED_MESSAGE);
    await logOut(ctx, { sessionId: request.cookies[CUSTOMER_COOKIE], siteId: site.id });
    reply.setCookie(CUSTOMER_COOKIE, result.sessionId, { ...cookieOptions(deps, request, customerCookiePath(site.slug)), maxAge: Math.floor(deps.config.sessionAbsoluteHours * 3600) });
    return { ...result.account, csrfToken: result.csrfToken, next: result.next };
  });
}
