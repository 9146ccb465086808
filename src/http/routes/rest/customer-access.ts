import { Type } from 'typebox';
import type { App, AppDeps } from '../../deps.js';
import { contextFor } from '../../deps.js';
import { requireSite } from '../../plugins/auth.js';
import { revokeCustomerAccess } from '../../../use-cases/customer-access/revoke-customer-access.js';
import { grantCustomerAccess } from '../../../use-cases/customer-access/grant-customer-access.js';
import { NoContent, restErrors } from '../../schemas/common.js';
import { AccessChangeNoteBody } from '../../schemas/customers.js';
import { emptyBodyAsObject } from './common.js';

const Params = Type.Object({
  site: Type.String({ minLength: 1, maxLength: 63, description: 'site slug' }),
  accountId: Type.String({ minLength: 1, maxLength: 300, description: 'portal-only account id: qm: followed by a UUID' }),
});

const responses = { 204: NoContent, ...restErrors };

/**
 * PUT /rest/servicedeskapi/customer/user/{accountId}/revoke-portal-only-access (Atlassian's) and
 * …/grant-portal-only-access (Portico's addition), docs/product.md#rest-revoke-grant: 204 with an empty body; an
 * empty body sent as application/json (jira.js) is accepted. Same use cases as the admin console.
 * Portico's addition: an optional body `{ "reason": "…", "notify": true, "includeReason": false }`
 * (docs/product.md#reason-and-notice); without one, nothing changes from Atlassian's behaviour.
 */
export async function registerCustomerAccessRoutes(app: App, deps: AppDeps): Promise<void> {
  for (const [verb, useCase, summary] of [
    ['revoke', revokeCustomerAccess, "Revoke a portal-only customer's access (ends their sessions at once)"],
    ['grant', grantCustomerAccess, "Grant a portal-only customer's access back (Portico addition)"],
  ] as const) {
    app.put(`/s/:site/rest/servicedeskapi/customer/user/:accountId/${verb}-portal-only-access`, {
      preValidation: emptyBodyAsObject,
      schema: { tags: ['Service Management REST'], summary, params: Params, body: AccessChangeNoteBody, response: responses },
    }, async (request, reply) => {
      const ctx = await contextFor(deps, request);
      const site = requireSite(request);
      await useCase(ctx, { siteSlug: site.slug, accountId: request.params.accountId, note: request.body });
      return reply.code(204).send(null);
    });
  }
}
