import { Readable } from 'node:stream';
import { Type } from 'typebox';
import type { App, AppDeps } from '../../deps.js';
import { contextFor } from '../../deps.js';
import { revokeCustomerAccess } from '../../../use-cases/customer-access/revoke-customer-access.js';
import { grantCustomerAccess } from '../../../use-cases/customer-access/grant-customer-access.js';
import { changeCustomerPassword } from '../../../use-cases/customers/change-customer-password.js';
import { editCustomerName } from '../../../use-cases/customers/edit-customer-name.js';
import { deleteCustomer } from '../../../use-cases/customers/delete-customer.js';
import { bulkChangeCustomerAccess, BULK_MAX } from '../../../use-cases/customer-access/bulk-change-customer-access.js';
import { listSiteCustomers } from '../../../use-cases/customers/list-site-customers.js';
import { MAX_INACTIVE_DAYS } from '../../../use-cases/customers/customer-admin.js';
import { exportSiteCustomers } from '../../../use-cases/customers/export-site-customers.js';
import { importSiteCustomers } from '../../../use-cases/customers/import-customers.js';
import { getAdminSite } from '../../../use-cases/admin/get-admin-site.js';
import { getAdminOrg } from '../../../use-cases/admin/get-admin-org.js';
import { switchUserManagement } from '../../../use-cases/admin/switch-user-management.js';
import { exportAuditEvents, listAuditEvents } from '../../../use-cases/admin/list-audit-events.js';
import { listOrgUsers } from '../../../use-cases/admin/list-org-users.js';
import { listOrgGroups } from '../../../use-cases/admin/list-org-groups.js';
import {
  getNotificationTemplate,
  previewNotificationTemplate,
  resetNotificationTemplate,
  saveNotificationTemplate,
} from '../../../use-cases/notifications/notification-template.js';
import { NOTIFICATION_EVENTS, TEMPLATE_LIMITS } from '../../../domain/mail-template.js';
import { CustomerParams, OrgParams, SiteSlugParams, TAGS } from './schemas.js';
import {
  AdminOrgSchema,
  AdminSiteSchema,
  AuditPageSchema,
  BulkResultSchema,
  AccessFootprintSchema,
  CustomerChangeSchema,
  CustomerPageSchema,
  ImportReportSchema,
  StaffGroupsSchema,
  StaffUsersSchema,
  UserManagementSchema,
  MailTemplatePartsSchema,
  NotificationTemplateSchema,
} from '../../schemas/admin.js';
import { apiErrors, NoContent } from '../../schemas/common.js';
import { presentCustomer } from '../../presenters/customers.js';
import { presentAdminOrg, presentAuditEvent, presentFootprint, presentNotificationTemplate } from '../../presenters/admin.js';
import { getAccessFootprint } from '../../../use-cases/customer-access/access-footprint.js';
import { OFFSET_SCHEMA } from '../../../domain/limits.js';
import { IMPORT_MAX_BYTES } from '../../../domain/customer-import.js';
import { csvBodies, CsvBody, csvText } from './csv-body.js';
import { AccessChangeNoteBody } from '../../schemas/customers.js';
import { emptyBodyAsObject } from '../rest/common.js';
import { registerAccessLifecycleAdminRoutes } from './access-lifecycle.js';
import { registerEmailChangeAdminRoutes } from './email-change.js';
import { getSignupSettings, saveSignupSettings } from '../../../use-cases/onboarding/signup-settings.js';
import { SignupSettingsBody, SignupSettingsSchema } from '../../schemas/signup.js';

const ListFilters = {
  query: Type.Optional(Type.String({ maxLength: 255, description: 'name or email: each word prefixes a name word or the email, case-insensitive' })),
  status: Type.Optional(Type.Union([Type.Literal('all'), Type.Literal('active'), Type.Literal('revoked')], { default: 'all' })),
  inactiveDays: Type.Optional(
    Type.Integer({ minimum: 1, maximum: MAX_INACTIVE_DAYS, title: 'Inactive for more than (days)', description: 'only customers with no activity for more than this many days (never active: since created)' }),
  ),
};

/**
 * The admin console's JSON API under /api/admin (docs/product.md#roles, docs/product.md#admin-console). Cookie auth (writes need the
 * CSRF header) or an API token. Each route: schema, context, one use case, presenter.
 */
export async function registerAdminRoutes(app: App, deps: AppDeps): Promise<void> {
  registerAccessLifecycleAdminRoutes(app, deps);
  registerEmailChangeAdminRoutes(app, deps);
  // ---- organizations ------------------------------------------------------------------------
  app.get('/api/admin/orgs/:orgId', {
    schema: { tags: TAGS, summary: 'An organization with its sites (org admins)', params: OrgParams, response: { 200: AdminOrgSchema, ...apiErrors } },
  }, async (request) => presentAdminOrg(await getAdminOrg(await contextFor(deps, request), { orgId: request.params.orgId })));

  app.put('/api/admin/orgs/:orgId/settings', {
    schema: {
      tags: TAGS,
      summary: "Switch the organization's user-management experience (org admins)",
      params: OrgParams,
      body: Type.Object({ userManagement: UserManagementSchema }, { additionalProperties: false }),
      response: { 200: AdminOrgSchema, ...apiErrors },
    },
  }, async (request) => {
    const switched = await switchUserManagement(await contextFor(deps, request), { orgId: request.params.orgId, userManagement: request.body.userManagement });
    // this instance shows its own change at once; the others within a second (db/queries/site-cache.ts)
    if (switched.changed) app.sites.forget();
    return presentAdminOrg(switched);
  });

  app.get('/api/admin/orgs/:orgId/users', {
    schema: { tags: TAGS, summary: 'Directory → Users: staff of the organization', params: OrgParams, response: { 200: StaffUsersSchema, ...apiErrors } },
  }, async (request) => listOrgUsers(await contextFor(deps, request), { orgId: request.params.orgId }));

  app.get('/api/admin/orgs/:orgId/groups', {
    schema: { tags: TAGS, summary: 'Directory → Groups (derived from roles)', params: OrgParams, response: { 200: StaffGroupsSchema, ...apiErrors } },
  }, async (request) => listOrgGroups(await contextFor(deps, request), { orgId: request.params.orgId }));

  const AuditFilters = {
    action: Type.Optional(Type.String({ maxLength: 100, description: 'e.g. customer.access.revoked' })),
    actor: Type.Optional(Type.String({ maxLength: 320, description: 'who did it: an email address or an account id' })),
    target: Type.Optional(Type.String({ maxLength: 320, description: 'to whom: an email address or an account id' })),
    from: Type.Optional(Type.String({ maxLength: 10, description: 'first day, YYYY-MM-DD (UTC)' })),
    to: Type.Optional(Type.String({ maxLength: 10, description: 'last day, YYYY-MM-DD (UTC), inclusive' })),
  };
  app.get('/api/admin/orgs/:orgId/audit-log', {
    schema: {
      tags: TAGS,
      summary: 'The organization audit log, newest first, filtered by action, actor, target and date range',
      params: OrgParams,
      querystring: Type.Object({
        ...AuditFilters,
        start: Type.Optional(Type.Integer(OFFSET_SCHEMA)),
        limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200 })),
      }),
      response: { 200: AuditPageSchema, ...apiErrors },
    },
  }, async (request) => {
    const page = await listAuditEvents(await contextFor(deps, request), { orgId: request.params.orgId, ...request.query });
    return { start: page.start, limit: page.limit, isLastPage: page.isLastPage, values: page.values.map(presentAuditEvent) };
  });

  app.get('/api/admin/orgs/:orgId/audit-log/export.csv', {
    schema: {
      tags: TAGS,
      summary: 'Export the filtered audit log as CSV (Time, Action, Actor, Target, Target email, Site, IP address, User agent, Details)',
      params: OrgParams,
      querystring: Type.Object(AuditFilters),
      produces: ['text/csv'],
      response: { 200: Type.Unsafe<Readable>({ type: 'string', description: 'CSV (RFC 4180), streamed' }), ...apiErrors },
    },
  }, async (request, reply) => {
    const { filename, lines } = await exportAuditEvents(await contextFor(deps, request), { orgId: request.params.orgId, ...request.query });
    return reply
      .type('text/csv; charset=utf-8')
      .header('content-disposition', `attachment; filename="${filename}"`)
      .header('cache-control', 'no-store')
      .send(Readable.from(lines));
  });

  // ---- sites --------------------------------------------------------------------------------
  app.get('/api/admin/sites/:slug', {
    schema: { tags: TAGS, summary: "A site's admin header (org admins of its org, its site admins)", params: SiteSlugParams, response: { 200: AdminSiteSchema, ...apiErrors } },
  }, async (request) => getAdminSite(await contextFor(deps, request), { siteSlug: request.params.slug }));

  // ---- a site's notification mail template (docs/product.md#notifications) -------------------
  const TemplateBody = Type.Object(
    {
      subject: Type.String({ maxLength: TEMPLATE_LIMITS.subject }),
      text: Type.String({ maxLength: TEMPLATE_LIMITS.text }),
      html: Type.String({ maxLength: TEMPLATE_LIMITS.html }),
    },
    { additionalProperties: false },
  );
  const EventName = Type.Union(NOTIFICATION_EVENTS.map((e) => Type.Literal(e)));

  app.get('/api/admin/sites/:slug/notification-template', {
    schema: { tags: TAGS, summary: "The site's notification mail template (Mustache: subject, plain text, HTML)", params: SiteSlugParams, response: { 200: NotificationTemplateSchema, ...apiErrors } },
  }, async (request) => presentNotificationTemplate(await getNotificationTemplate(await contextFor(deps, request), { siteSlug: request.params.slug })));

  app.put('/api/admin/sites/:slug/notification-template', {
    schema: { tags: TAGS, summary: "Saves the site's notification mail template; the next mail uses it", params: SiteSlugParams, body: TemplateBody, response: { 200: NotificationTemplateSchema, ...apiErrors } },
  }, async (request) => presentNotificationTemplate(await saveNotificationTemplate(await contextFor(deps, request), { siteSlug: request.params.slug, template: request.body })));

  app.delete('/api/admin/sites/:slug/notification-template', {
    schema: { tags: TAGS, summary: 'Back to the built-in notification mail template', params: SiteSlugParams, response: { 200: NotificationTemplateSchema, ...apiErrors } },
  }, async (request) => presentNotificationTemplate(await resetNotificationTemplate(await contextFor(deps, request), { siteSlug: request.params.slug })));

  app.post('/api/admin/sites/:slug/notification-template/preview', {
    schema: {
      tags: TAGS,
      summary: 'A template, saved or not, rendered for one event with made-up values',
      params: SiteSlugParams,
      body: Type.Object({ template: TemplateBody, event: EventName }, { additionalProperties: false }),
      response: { 200: MailTemplatePartsSchema, ...apiErrors },
    },
  }, async (request) => previewNotificationTemplate(await contextFor(deps, request), { siteSlug: request.params.slug, template: request.body.template, event: request.body.event }));

  // ---- a site's sign-up settings (docs/product.md#signup) ------------------------------------
  app.get('/api/admin/sites/:slug/signup-settings', {
    schema: { tags: TAGS, summary: "The site's sign-up settings: sign-up on or off, its email domains, invitation link days", params: SiteSlugParams, response: { 200: SignupSettingsSchema, ...apiErrors } },
  }, async (request) => getSignupSettings(await contextFor(deps, request), { siteSlug: request.params.slug }));

  app.put('/api/admin/sites/:slug/signup-settings', {
    schema: { tags: TAGS, summary: "Saves the site's sign-up settings", params: SiteSlugParams, body: SignupSettingsBody, response: { 200: SignupSettingsSchema, ...apiErrors } },
  }, async (request) => saveSignupSettings(await contextFor(deps, request), { siteSlug: request.params.slug, ...request.body }));

  app.get('/api/admin/sites/:slug/users', {
    schema: { tags: TAGS, summary: "The site's staff (original experience: the site admin's Users)", params: SiteSlugParams, response: { 200: StaffUsersSchema, ...apiErrors } },
  }, async (request) => listOrgUsers(await contextFor(deps, request), { siteSlug: request.params.slug }));

  app.get('/api/admin/sites/:slug/groups', {
    schema: { tags: TAGS, summary: "The site's groups (original experience)", params: SiteSlugParams, response: { 200: StaffGroupsSchema, ...apiErrors } },
  }, async (request) => listOrgGroups(await contextFor(deps, request), { siteSlug: request.params.slug }));

  app.get('/api/admin/sites/:slug/customers', {
    schema: {
      tags: TAGS,
      summary: "The site's portal-only customers (deleted ones are not listed)",
      params: SiteSlugParams,
      querystring: Type.Object({
        ...ListFilters,
        sort: Type.Optional(
          Type.Union([Type.Literal('name'), Type.Literal('lastActiveDesc'), Type.Literal('lastActiveAsc')], {
            default: 'name',
            description: 'name order, or last activity newest or oldest first (never active counts as oldest)',
          }),
        ),
        start: Type.Optional(Type.Integer({ ...OFFSET_SCHEMA, default: 0 })),
        limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 100, default: 50 })),
      }),
      response: { 200: CustomerPageSchema, ...apiErrors },
    },
  }, async (request) => {
    const page = await listSiteCustomers(await contextFor(deps, request), { siteSlug: request.params.slug, ...request.query });
    return { start: page.start, limit: page.limit, total: page.total, isLastPage: page.isLastPage, values: page.values.map((c) => presentCustomer(c, page.pendingEmails.get(c.accountId) ?? null)) };
  });

  app.get('/api/admin/sites/:slug/customers/export.csv', {
    schema: {
      tags: TAGS,
      summary: 'Export the customer list as CSV (Name, Email, Status, Last active, Created)',
      params: SiteSlugParams,
      querystring: Type.Object(ListFilters),
      produces: ['text/csv'],
      response: { 200: Type.Unsafe<Readable>({ type: 'string', description: 'CSV (RFC 4180), streamed' }), ...apiErrors },
    },
  }, async (request, reply) => {
    const { filename, lines } = await exportSiteCustomers(await contextFor(deps, request), { siteSlug: request.params.slug, ...request.query });
    return reply
      .type('text/csv; charset=utf-8')
      .header('content-disposition', `attachment; filename="${filename}"`)
      .header('cache-control', 'no-store')
      .send(Readable.from(lines));
  });

  // The upload is the CSV file itself (text/csv), up to IMPORT_MAX_BYTES rather than the JSON limit.
  await app.register(async (scope: App) => {
    csvBodies(scope);
    scope.post('/api/admin/sites/:slug/customers/import', {
      bodyLimit: IMPORT_MAX_BYTES,
      schema: {
        tags: TAGS,
        summary: 'Import customers from a CSV file (Name, Email, Status); dryRun reports what would happen',
        params: SiteSlugParams,
        querystring: Type.Object({ dryRun: Type.Optional(Type.Boolean({ default: false })) }),
        consumes: ['text/csv'],
        body: CsvBody,
        response: { 200: ImportReportSchema, ...apiErrors },
      },
    }, async (request) => {
      const ctx = await contextFor(deps, request);
      return importSiteCustomers(ctx, { siteSlug: request.params.slug, csv: [csvText(request)], dryRun: request.query.dryRun ?? false });
    });
  });

  app.post('/api/admin/sites/:slug/customers/bulk', {
    schema: {
      tags: TAGS,
      summary: `Bulk revoke or grant (at most ${BULK_MAX}); dryRun reports what would change`,
      params: SiteSlugParams,
      body: Type.Object(
        {
          action: Type.Union([Type.Literal('revoke'), Type.Literal('grant')]),
          accountIds: Type.Array(Type.String({ maxLength: 128 }), { minItems: 1, maxItems: BULK_MAX }),
          dryRun: Type.Optional(Type.Boolean({ default: false })),
          ...AccessChangeNoteBody.properties,
        },
        { additionalProperties: false },
      ),
      response: { 200: BulkResultSchema, ...apiErrors },
    },
  }, async (request) => {
    const result = await bulkChangeCustomerAccess(await contextFor(deps, request), {
      siteSlug: request.params.slug,
      action: request.body.action,
      accountIds: request.body.accountIds,
      dryRun: request.body.dryRun ?? false,
      note: { reason: request.body.reason, notify: request.body.notify, includeReason: request.body.includeReason },
    });
    return { ...result, footprint: result.footprint && presentFootprint(result.footprint) };
  });

  app.get('/api/admin/sites/:slug/customers/:accountId/access-footprint', {
    schema: { tags: TAGS, summary: 'What revoking this customer would touch (shown in the revoke dialog)', params: CustomerParams, response: { 200: AccessFootprintSchema, ...apiErrors } },
  }, async (request) => presentFootprint(await getAccessFootprint(await contextFor(deps, request), { siteSlug: request.params.slug, accountId: request.params.accountId })));

  for (const [verb, useCase, summary] of [
    ['revoke', revokeCustomerAccess, "Revoke a customer's portal access (ends sessions at once)"],
    ['grant', grantCustomerAccess, "Grant a revoked customer's access back"],
  ] as const) {
    app.post(`/api/admin/sites/:slug/customers/:accountId/${verb}`, {
      preValidation: emptyBodyAsObject,
      schema: { tags: TAGS, summary, params: CustomerParams, body: AccessChangeNoteBody, response: { 200: CustomerChangeSchema, ...apiErrors } },
    }, async (request) => {
      const r = await useCase(await contextFor(deps, request), { siteSlug: request.params.slug, accountId: request.params.accountId, note: request.body });
      return { customer: presentCustomer(r.customer), changed: r.changed };
    });
  }

  app.put('/api/admin/sites/:slug/customers/:accountId/password', {
    schema: {
      tags: TAGS,
      summary: "Set a customer's password (ends their sessions)",
      params: CustomerParams,
      body: Type.Object({ password: Type.String({ maxLength: 1000 }) }, { additionalProperties: false }),
      response: { 204: NoContent, ...apiErrors },
    },
  }, async (request, reply) => {
    await changeCustomerPassword(await contextFor(deps, request), {
      siteSlug: request.params.slug,
      accountId: request.params.accountId,
      password: request.body.password,
    });
    return reply.code(204).send(null);
  });

  app.put('/api/admin/sites/:slug/customers/:accountId/name', {
    schema: {
      tags: TAGS,
      summary: "Edit a customer's full name",
      params: CustomerParams,
      body: Type.Object({ displayName: Type.String({ maxLength: 1000 }) }, { additionalProperties: false }),
      response: { 200: CustomerChangeSchema, ...apiErrors },
    },
  }, async (request) => {
    const r = await editCustomerName(await contextFor(deps, request), {
      siteSlug: request.params.slug,
      accountId: request.params.accountId,
      displayName: request.body.displayName,
    });
    return { customer: presentCustomer(r.customer), changed: r.changed };
  });

  app.delete('/api/admin/sites/:slug/customers/:accountId', {
    schema: {
      tags: TAGS,
      summary: 'Delete a customer (org admins only; irreversible; references read "Former user (Deactivated)")',
      params: CustomerParams,
      response: { 204: NoContent, ...apiErrors },
    },
  }, async (request, reply) => {
    await deleteCustomer(await contextFor(deps, request), { siteSlug: request.params.slug, accountId: request.params.accountId });
    return reply.code(204).send(null);
  });
}
