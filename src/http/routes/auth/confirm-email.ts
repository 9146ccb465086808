import { Type } from 'typebox';
import type { App, AppDeps } from '../../deps.js';
import { anonymousContext } from '../../deps.js';
import { CUSTOMER_COOKIE, requireSite } from '../../plugins/auth.js';
import { apiErrors } from '../../schemas/common.js';
import { confirmEmailChange } from '../../../use-cases/customers/confirm-email-change.js';
import { cookieOptions, customerCookiePath, ignoreExistingSession, requireSameOriginJson, stringFieldsOnly } from './guards.js';
import { SiteParams } from './schemas.js';

// The help center page an email-change link opens posts its token here (docs/product.md#change-customer-email).
// Nobody need be signed in; opening the link (a GET of the page) changes nothing by itself.
export async function registerConfirmEmailRoutes(app: App, deps: AppDeps): Promise<void> {
  app.post('/s/:site/api/portal/email-change/confirm', {
    onRequest: [ignoreExistingSession, requireSameOriginJson],
    preValidation: stringFieldsOnly('token'),
    schema: {
      tags: ['help center authentication (internal)'],
      summary: "Confirm an email change with the link mailed to the new address (400 when the link is no longer valid, 409 when the address was taken since)",
      params: SiteParams,
      body: Type.Object({ token: Type.String({ minLength: 1, maxLength: 200 }) }, { additionalProperties: false }),
      response: { 200: Type.Object({ email: Type.String() }), ...apiErrors },
    },
  }, async (request, reply) => {
    const site = requireSite(request);
    reply.header('cache-control', 'no-store');
    const r = await confirmEmailChange(anonymousContext(deps, request), { site, token: request.body.token });
    // every session of the account ended, the browser's own among them if it had one
    reply.clearCookie(CUSTOMER_COOKIE, cookieOptions(deps, request, customerCookiePath(site.slug)));
    return r;
  });
}
