import { Type } from 'typebox';
import type { App, AppDeps } from '../../deps.js';
import { contextFor } from '../../deps.js';
import { errorResponses } from '../../schemas/rest.js';
import { NoContent } from '../../schemas/common.js';
import { CustomerSchema, EmailChangeBody } from '../../schemas/customers.js';
import { presentCustomer } from '../../presenters/customers.js';
import { cancelCustomerEmailChange, requestCustomerEmailChange } from '../../../use-cases/customers/change-customer-email.js';
import { emptyBodyAsObject, restSite } from './common.js';

// Portico's REST for changing a customer's email (docs/product.md#change-customer-email). Same use
// cases as the admin console.

const PORTICO = 'Portico REST';
const Params = Type.Object({ site: Type.String(), accountId: Type.String({ minLength: 1, maxLength: 128, description: "the customer's account id" }) });

export function registerEmailChangeRestRoutes(app: App, deps: AppDeps): void {
  app.post('/s/:site/rest/portico/1/customer/:accountId/email-change', {
    preValidation: emptyBodyAsObject,
    schema: {
      tags: [PORTICO],
      summary: "Change a customer's email (`{\"email\": \"new@example.com\"}`): 202, a link is mailed to the new address and the change takes effect when it is opened; 400 malformed or revoked customer, 409 the site has the address (the site's org admins and site admins)",
      params: Params,
      body: EmailChangeBody,
      response: {
        202: Type.Object({ customer: CustomerSchema, expiresAt: Type.String({ format: 'date-time', description: 'when the confirmation link stops working' }) }),
        409: errorResponses['4xx'],
        ...errorResponses,
      },
    },
  }, async (request, reply) => {
    const { site } = restSite(request);
    const r = await requestCustomerEmailChange(await contextFor(deps, request), { siteSlug: site.slug, accountId: request.params.accountId, email: request.body.email });
    return reply.code(202).send({ customer: presentCustomer(r.customer, r.pendingEmail), expiresAt: r.expiresAt.toISOString() });
  });

  app.delete('/s/:site/rest/portico/1/customer/:accountId/email-change', {
    schema: { tags: [PORTICO], summary: "Withdraw a customer's pending email change: 204 (whether or not there was one)", params: Params, response: { 204: NoContent, ...errorResponses } },
  }, async (request, reply) => {
    const { site } = restSite(request);
    await cancelCustomerEmailChange(await contextFor(deps, request), { siteSlug: site.slug, accountId: request.params.accountId });
    return reply.code(204).send(null);
  });
}
