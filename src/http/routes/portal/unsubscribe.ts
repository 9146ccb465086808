import { Type } from 'typebox';
import type { App, AppDeps } from '../../deps.js';
import { anonymousContext } from '../../deps.js';
import { requireSite } from '../../plugins/auth.js';
import { badRequest } from '../../../domain/errors.js';
import { apiErrors } from '../../schemas/common.js';
import { RequestMailPreferenceSchema } from '../../schemas/portal.js';
import { ignoreExistingSession, requireSameOriginJson } from '../auth/guards.js';
import { getRequestMailPreference, setRequestMailPreference } from '../../../use-cases/notifications/request-mail-preference.js';

// A request notification's unsubscribe link (docs/product.md#notifications). No login: the signed
// token in it names the request and the recipient. The help center's page reads and changes the
// setting with GET and PUT; mail programs stop the mail with RFC 8058's one-click POST, the URL of
// the mail's List-Unsubscribe header.

const tags = ['help center (internal)'];
const SiteParams = Type.Object({ site: Type.String({ minLength: 1, maxLength: 63 }) });
const Token = Type.String({ minLength: 1, maxLength: 400, pattern: '^[A-Za-z0-9_.-]+$' });
const ONE_CLICK = 'One-Click';

export async function registerUnsubscribeRoutes(app: App, deps: AppDeps): Promise<void> {
  const url = '/s/:site/api/portal/unsubscribe';

  app.get(url, {
    schema: {
      tags,
      summary: "Whether the unsubscribe link's recipient still gets mail about its request",
      params: SiteParams,
      querystring: Type.Object({ token: Token }),
      response: { 200: RequestMailPreferenceSchema, ...apiErrors },
    },
  }, async (request, reply) => {
    const site = requireSite(request);
    reply.header('cache-control', 'no-store');
    return getRequestMailPreference(anonymousContext(deps, request), { site, token: request.query.token });
  });

  app.put(url, {
    onRequest: [ignoreExistingSession, requireSameOriginJson],
    schema: {
      tags,
      summary: 'Stops (muted: true) or resumes the mail about the link\'s request (the help center\'s page)',
      params: SiteParams,
      body: Type.Object({ token: Token, muted: Type.Boolean() }, { additionalProperties: false }),
      response: { 200: RequestMailPreferenceSchema, ...apiErrors },
    },
  }, async (request, reply) => {
    const site = requireSite(request);
    reply.header('cache-control', 'no-store');
    return setRequestMailPreference(anonymousContext(deps, request), { site, token: request.body.token, muted: request.body.muted });
  });

  // RFC 8058: a mail program POSTs `List-Unsubscribe=One-Click` to the List-Unsubscribe URL, as a
  // form (urlencoded or multipart), with no cookie and no CSRF token: the signed token is the proof.
  await app.register(async (scope: App) => {
    scope.addContentTypeParser(['application/x-www-form-urlencoded', 'multipart/form-data'], { parseAs: 'string', bodyLimit: 4096 }, (_request, body, done) => {
      done(null, String(body));
    });
    scope.post(url, {
      onRequest: [ignoreExistingSession],
      schema: {
        tags,
        summary: 'One-click unsubscribe (RFC 8058): stops the mail about the link\'s request',
        params: SiteParams,
        querystring: Type.Object({ token: Token }),
        consumes: ['application/x-www-form-urlencoded', 'multipart/form-data'],
        body: Type.String({ description: 'List-Unsubscribe=One-Click' }),
        response: { 200: RequestMailPreferenceSchema, ...apiErrors },
      },
    }, async (request, reply) => {
      const site = requireSite(request);
      const type = String(request.headers['content-type'] ?? '').split(';', 1)[0].trim().toLowerCase();
      const oneClick =
        type === 'application/x-www-form-urlencoded'
          ? new URLSearchParams(request.body).get('List-Unsubscribe') === ONE_CLICK
          : /name="?List-Unsubscribe"?\r?\n\r?\n\s*One-Click\b/i.test(request.body.replace(/\r\n/g, '\n'));
      if (!oneClick) throw badRequest(`The body must be List-Unsubscribe=${ONE_CLICK}.`, { 'List-Unsubscribe': `Send List-Unsubscribe=${ONE_CLICK}.` });
      reply.header('cache-control', 'no-store');
      return setRequestMailPreference(anonymousContext(deps, request), { site, token: request.query.token, muted: true });
    });
  });
}
