import { Type } from 'typebox';
import type { App, AppDeps } from '../../deps.js';
import { contextFor } from '../../deps.js';
import { CustomerParams, SiteSlugParams, TAGS } from './schemas.js';
import { apiErrors } from '../../schemas/common.js';
import { CustomerChangeSchema } from '../../schemas/admin.js';
import { AccessUntilBody } from '../../schemas/customers.js';
import { AccessNoticeBody, AccessNoticeKindParams, AccessNoticeSchema, BulkAccessUntilSchema } from '../../schemas/access-lifecycle.js';
import { presentCustomer } from '../../presenters/customers.js';
import { presentAccessNotice } from '../../presenters/access-lifecycle.js';
import { bulkSetAccessUntil, setCustomerAccessUntil } from '../../../use-cases/customer-access/set-access-until.js';
import { getAccessNotices, resetAccessNotice, saveAccessNotice } from '../../../use-cases/customer-access/access-notice-templates.js';
import { BULK_MAX } from '../../../use-cases/customer-access/bulk-change-customer-access.js';
import { InactivityPolicyBody, InactivityPolicySchema, InactivityPreviewQuery, InactivityPreviewSchema } from '../../schemas/inactivity-policy.js';
import { presentInactivityPolicy, presentInactivityPreview } from '../../presenters/inactivity-policy.js';
import { getInactivityPolicy, previewInactivityPolicy, saveInactivityPolicyForSite } from '../../../use-cases/customer-access/inactivity-policy.js';

// The admin console's side of a customer's access lifecycle (docs/product.md#reason-and-notice,
// #access-until, #inactivity-policy): dated access, one or in bulk, the site's revoke and
// welcome-back notices, and its inactivity policy.

export function registerAccessLifecycleAdminRoutes(app: App, deps: AppDeps): void {
  app.put('/api/admin/sites/:slug/customers/:accountId/access-until', {
    schema: {
      tags: TAGS,
      summary: "Set or clear when a customer's access ends by itself (revoked within a minute of it)",
      params: CustomerParams,
      body: AccessUntilBody,
      response: { 200: CustomerChangeSchema, ...apiErrors },
    },
  }, async (request) => {
    const { until, ...note } = request.body;
    const r = await setCustomerAccessUntil(await contextFor(deps, request), { siteSlug: request.params.slug, accountId: request.params.accountId, until, note });
    return { customer: presentCustomer(r.customer), changed: r.changed };
  });

  app.post('/api/admin/sites/:slug/customers/bulk-access-until', {
    schema: {
      tags: TAGS,
      summary: `Set or clear "access until" for up to ${BULK_MAX} customers (all or nothing; revoked ones are skipped)`,
      params: SiteSlugParams,
      body: Type.Object(
        { accountIds: Type.Array(Type.String({ maxLength: 128 }), { minItems: 1, maxItems: BULK_MAX }), ...AccessUntilBody.properties },
        { additionalProperties: false },
      ),
      response: { 200: BulkAccessUntilSchema, ...apiErrors },
    },
  }, async (request) => {
    const { accountIds, until, ...note } = request.body;
    return bulkSetAccessUntil(await contextFor(deps, request), { siteSlug: request.params.slug, accountIds, until, note });
  });

  app.get('/api/admin/sites/:slug/access-notices', {
    schema: { tags: TAGS, summary: "The site's revoke and welcome-back notices", params: SiteSlugParams, response: { 200: Type.Array(AccessNoticeSchema), ...apiErrors } },
  }, async (request) => (await getAccessNotices(await contextFor(deps, request), { siteSlug: request.params.slug })).map(presentAccessNotice));

  app.put('/api/admin/sites/:slug/access-notices/:kind', {
    schema: { tags: TAGS, summary: 'Save the wording of a notice', params: AccessNoticeKindParams, body: AccessNoticeBody, response: { 200: AccessNoticeSchema, ...apiErrors } },
  }, async (request) =>
    presentAccessNotice(await saveAccessNotice(await contextFor(deps, request), { siteSlug: request.params.slug, kind: request.params.kind, template: request.body })));

  app.delete('/api/admin/sites/:slug/access-notices/:kind', {
    schema: { tags: TAGS, summary: 'Go back to the built-in wording of a notice', params: AccessNoticeKindParams, response: { 200: AccessNoticeSchema, ...apiErrors } },
  }, async (request) => presentAccessNotice(await resetAccessNotice(await contextFor(deps, request), { siteSlug: request.params.slug, kind: request.params.kind })));

  app.get('/api/admin/sites/:slug/inactivity-policy', {
    schema: { tags: TAGS, summary: "The site's automatic revoke after inactivity", params: SiteSlugParams, response: { 200: InactivityPolicySchema, ...apiErrors } },
  }, async (request) => presentInactivityPolicy(await getInactivityPolicy(await contextFor(deps, request), { siteSlug: request.params.slug })));

  app.put('/api/admin/sites/:slug/inactivity-policy', {
    schema: { tags: TAGS, summary: 'Saves the inactivity policy (the settings named; excludedAccountIds is the whole list)', params: SiteSlugParams, body: InactivityPolicyBody, response: { 200: InactivityPolicySchema, ...apiErrors } },
  }, async (request) => presentInactivityPolicy(await saveInactivityPolicyForSite(await contextFor(deps, request), { siteSlug: request.params.slug, ...request.body })));

  app.get('/api/admin/sites/:slug/inactivity-policy/preview', {
    schema: { tags: TAGS, summary: 'Dry run of the inactivity policy: who would be revoked and warned now', params: SiteSlugParams, querystring: InactivityPreviewQuery, response: { 200: InactivityPreviewSchema, ...apiErrors } },
  }, async (request) => presentInactivityPreview(await previewInactivityPolicy(await contextFor(deps, request), { siteSlug: request.params.slug, ...request.query })));
}
