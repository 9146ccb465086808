import { Type } from 'typebox';
import type { App, AppDeps } from '../../deps.js';
import { contextFor } from '../../deps.js';
import { errorResponses } from '../../schemas/rest.js';
import { AccessUntilBody, CustomerSchema } from '../../schemas/customers.js';
import { AccessNoticeBody, AccessNoticeSchema } from '../../schemas/access-lifecycle.js';
import { presentCustomer } from '../../presenters/customers.js';
import { presentAccessNotice } from '../../presenters/access-lifecycle.js';
import { setCustomerAccessUntil } from '../../../use-cases/customer-access/set-access-until.js';
import { getAccessNotices, resetAccessNotice, saveAccessNotice } from '../../../use-cases/customer-access/access-notice-templates.js';
import { SiteParams, emptyBodyAsObject, restSite } from './common.js';
import { InactivityPolicyBody, InactivityPolicySchema, InactivityPreviewQuery, InactivityPreviewSchema } from '../../schemas/inactivity-policy.js';
import { presentInactivityPolicy, presentInactivityPreview } from '../../presenters/inactivity-policy.js';
import { getInactivityPolicy, previewInactivityPolicy, saveInactivityPolicyForSite } from '../../../use-cases/customer-access/inactivity-policy.js';

// Portico's REST for a customer's access lifecycle (docs/product.md#access-until,
// #reason-and-notice, #inactivity-policy): dated access, the site's notices and its inactivity
// policy. Same use cases as the admin console.

const PORTICO = 'Portico REST';
const Kind = Type.Union([Type.Literal('revoked'), Type.Literal('granted')]);

export function registerAccessLifecycleRestRoutes(app: App, deps: AppDeps): void {
  app.put('/s/:site/rest/portico/1/customer/:accountId/access-until', {
    preValidation: emptyBodyAsObject,
    schema: {
      tags: [PORTICO],
      summary: "Set (`{\"until\": \"<ISO 8601>\"}`) or clear (`{\"until\": null}`) when a customer's access ends; revoked within a minute of it, with the reason and notice given here (the site's org admins and site admins)",
      params: Type.Object({ site: Type.String(), accountId: Type.String({ minLength: 1, maxLength: 128, description: "the customer's account id" }) }),
      body: AccessUntilBody,
      response: { 200: Type.Object({ customer: CustomerSchema, changed: Type.Boolean() }), ...errorResponses },
    },
  }, async (request) => {
    const { site } = restSite(request);
    const { until, ...note } = request.body;
    const r = await setCustomerAccessUntil(await contextFor(deps, request), { siteSlug: site.slug, accountId: request.params.accountId, until: until ?? null, note });
    return { customer: presentCustomer(r.customer), changed: r.changed };
  });

  app.get('/s/:site/rest/portico/1/access-notice', {
    schema: { tags: [PORTICO], summary: "The site's revoke and welcome-back notices (org admins and site admins)", params: SiteParams, response: { 200: Type.Array(AccessNoticeSchema), ...errorResponses } },
  }, async (request) => {
    const { site } = restSite(request);
    return (await getAccessNotices(await contextFor(deps, request), { siteSlug: site.slug })).map(presentAccessNotice);
  });

  app.put('/s/:site/rest/portico/1/access-notice/:kind', {
    preValidation: emptyBodyAsObject,
    schema: {
      tags: [PORTICO],
      summary: 'Save the wording of the revoke (`revoked`) or welcome-back (`granted`) notice',
      params: Type.Object({ site: Type.String(), kind: Kind }),
      body: AccessNoticeBody,
      response: { 200: AccessNoticeSchema, ...errorResponses },
    },
  }, async (request) => {
    const { site } = restSite(request);
    return presentAccessNotice(await saveAccessNotice(await contextFor(deps, request), { siteSlug: site.slug, kind: request.params.kind, template: request.body }));
  });

  app.delete('/s/:site/rest/portico/1/access-notice/:kind', {
    schema: { tags: [PORTICO], summary: 'Go back to the built-in wording of a notice', params: Type.Object({ site: Type.String(), kind: Kind }), response: { 200: AccessNoticeSchema, ...errorResponses } },
  }, async (request) => {
    const { site } = restSite(request);
    return presentAccessNotice(await resetAccessNotice(await contextFor(deps, request), { siteSlug: site.slug, kind: request.params.kind }));
  });

  app.get('/s/:site/rest/portico/1/inactivity-policy', {
    schema: { tags: [PORTICO], summary: "The site's automatic revoke after inactivity and the customers it leaves alone (org admins and site admins)", params: SiteParams, response: { 200: InactivityPolicySchema, ...errorResponses } },
  }, async (request) => {
    const { site } = restSite(request);
    return presentInactivityPolicy(await getInactivityPolicy(await contextFor(deps, request), { siteSlug: site.slug }));
  });

  app.put('/s/:site/rest/portico/1/inactivity-policy', {
    preValidation: emptyBodyAsObject,
    schema: {
      tags: [PORTICO],
      summary: 'Saves the inactivity policy: the settings the body names (the others stay), `excludedAccountIds` the whole list of excluded customers',
      params: SiteParams,
      body: InactivityPolicyBody,
      response: { 200: InactivityPolicySchema, ...errorResponses },
    },
  }, async (request) => {
    const { site } = restSite(request);
    return presentInactivityPolicy(await saveInactivityPolicyForSite(await contextFor(deps, request), { siteSlug: site.slug, ...request.body }));
  });

  app.get('/s/:site/rest/portico/1/inactivity-policy/preview', {
    schema: {
      tags: [PORTICO],
      summary: 'Dry run: whom the inactivity policy would revoke and warn now, with the saved days or those given (writes nothing)',
      params: SiteParams,
      querystring: InactivityPreviewQuery,
      response: { 200: InactivityPreviewSchema, ...errorResponses },
    },
  }, async (request) => {
    const { site } = restSite(request);
    return presentInactivityPreview(await previewInactivityPolicy(await contextFor(deps, request), { siteSlug: site.slug, ...request.query }));
  });
}
