import type { App, AppDeps } from '../../deps.js';
import { contextFor } from '../../deps.js';
import { CustomerParams, TAGS } from './schemas.js';
import { apiErrors } from '../../schemas/common.js';
import { CustomerChangeSchema } from '../../schemas/admin.js';
import { EmailChangeBody } from '../../schemas/customers.js';
import { presentCustomer } from '../../presenters/customers.js';
import { cancelCustomerEmailChange, requestCustomerEmailChange } from '../../../use-cases/customers/change-customer-email.js';

// The admin console's "Change email" (docs/product.md#change-customer-email): ask, or withdraw.

export function registerEmailChangeAdminRoutes(app: App, deps: AppDeps): void {
  app.post('/api/admin/sites/:slug/customers/:accountId/email-change', {
    schema: {
      tags: TAGS,
      summary: "Change a customer's email: mails a link to the new address; the change takes effect when it is opened (409 when the site has the address)",
      params: CustomerParams,
      body: EmailChangeBody,
      response: { 200: CustomerChangeSchema, ...apiErrors },
    },
  }, async (request) => {
    const r = await requestCustomerEmailChange(await contextFor(deps, request), { siteSlug: request.params.slug, accountId: request.params.accountId, email: request.body.email });
    return { customer: presentCustomer(r.customer, r.pendingEmail), changed: true };
  });

  app.delete('/api/admin/sites/:slug/customers/:accountId/email-change', {
    schema: { tags: TAGS, summary: "Withdraw a customer's pending email change (its link stops working)", params: CustomerParams, response: { 200: CustomerChangeSchema, ...apiErrors } },
  }, async (request) => {
    const r = await cancelCustomerEmailChange(await contextFor(deps, request), { siteSlug: request.params.slug, accountId: request.params.accountId });
    return { customer: presentCustomer(r.customer), changed: r.changed };
  });
}
