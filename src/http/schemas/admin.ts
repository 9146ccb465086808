import { Type } from 'typebox';
import { Nullable, Page, UncountedPage, List, DateTime } from './common.js';
import { CustomerSchema } from './customers.js';

// Responses of the admin console's JSON API under /api/admin (routes/admin) and the outbox.

export const UserManagementSchema = Type.Union([Type.Literal('original'), Type.Literal('centralized')]);

export const CustomerPageSchema = Page(CustomerSchema);

export const CustomerChangeSchema = Type.Object({ customer: CustomerSchema, changed: Type.Boolean() });

export const AdminOrgSchema = Type.Object({
  id: Type.String(),
  name: Type.String(),
  userManagement: UserManagementSchema,
  sites: Type.Array(Type.Object({ id: Type.String(), slug: Type.String(), name: Type.String(), url: Type.String() })),
});

export const AdminSiteSchema = Type.Object({
  id: Type.String(),
  slug: Type.String(),
  name: Type.String(),
  url: Type.String(),
  org: Type.Object({ id: Type.String(), name: Type.String(), userManagement: UserManagementSchema }),
  permissions: Type.Object({ canDelete: Type.Boolean() }),
});

export const StaffUserSchema = Type.Object({ accountId: Type.String(), displayName: Type.String(), email: Type.String(), roles: Type.Array(Type.String()) });
export const StaffUsersSchema = List(StaffUserSchema);

export const StaffGroupSchema = Type.Object({ name: Type.String(), description: Type.String(), memberCount: Type.Integer() });
export const StaffGroupsSchema = List(StaffGroupSchema);

const AccountStatusSchema = Type.Union([Type.Literal('active'), Type.Literal('revoked'), Type.Literal('deleted')]);

/** What a revoke would touch (docs/product.md#footprint): counts, and times as ISO 8601 or null. */
export const AccessFootprintSchema = Type.Object(
  {
    openRequestsReported: Type.Integer({ minimum: 0, description: 'open requests the customer reported' }),
    requestsParticipating: Type.Integer({ minimum: 0, description: 'requests the customer takes part in' }),
    pickerFieldReferences: Type.Integer({ minimum: 0, description: 'user-picker field values naming the customer' }),
    liveSessions: Type.Integer({ minimum: 0, description: 'sessions a revoke would end' }),
    lastActiveAt: Nullable(DateTime),
    accessUntil: Nullable({ ...DateTime, description: 'when access ends on its own; Portico has no dated access yet, so null' }),
  },
  { title: 'Access footprint' },
);

export const BulkResultSchema = Type.Object({
  dryRun: Type.Boolean(),
  changed: Type.Integer(),
  results: Type.Array(
    Type.Object({
      accountId: Type.String(),
      label: Nullable(Type.String()),
      outcome: Type.Union([Type.Literal('changed'), Type.Literal('unchanged'), Type.Literal('not_found')]),
      from: Nullable(AccountStatusSchema),
      to: Nullable(AccountStatusSchema),
    }),
  ),
  footprint: Type.Optional(AccessFootprintSchema),
});

export const ImportReportSchema = Type.Object({
  dryRun: Type.Boolean(),
  rows: Type.Integer({ description: 'data rows read' }),
  created: Type.Integer({ description: 'customers created (dry run: that would be created)' }),
  createdRevoked: Type.Integer({ description: 'of the created, how many with access revoked' }),
  present: Type.Integer({ description: 'rows whose email already is a customer of the site, left unchanged' }),
  refused: Type.Integer(),
  refusals: Type.Array(
    Type.Object({ line: Type.Integer(), email: Type.String(), reason: Type.String() }),
    { description: 'the first 1,000 refused rows, in file order' },
  ),
});

export const AuditEventSchema = Type.Object({
  id: Type.String(),
  action: Type.String(),
  actor: Nullable(Type.Object({ accountId: Nullable(Type.String({ description: 'null for a SCIM token, which is no account' })), label: Type.String() })),
  target: Nullable(Type.Object({ accountId: Type.String(), label: Type.String(), email: Nullable(Type.String()) })),
  site: Nullable(Type.Object({ slug: Type.String(), name: Type.String() })),
  createdAt: DateTime,
  ip: Nullable(Type.String()),
  userAgent: Nullable(Type.String()),
  details: Type.Record(Type.String(), Type.Unknown()),
});
export const AuditPageSchema = UncountedPage(AuditEventSchema);

export const OutboxMailSchema = Type.Object({
  id: Type.String(),
  to: Type.String(),
  subject: Type.String(),
  body: Type.String(),
  createdAt: Type.String(),
  site: Nullable(Type.Object({ slug: Type.String() })),
  status: Type.Union([Type.Literal('kept'), Type.Literal('queued'), Type.Literal('sent'), Type.Literal('failed'), Type.Literal('cancelled')]),
  attempts: Type.Integer(),
  lastError: Nullable(Type.String()),
  sentAt: Nullable(Type.String()),
});
export const OutboxPageSchema = UncountedPage(OutboxMailSchema);

/** A site's notification mail template (docs/product.md#notifications), in Mustache. */
export const MailTemplatePartsSchema = Type.Object({ subject: Type.String(), text: Type.String(), html: Type.String() });
export const NotificationTemplateSchema = Type.Object({
  subject: Type.String(),
  text: Type.String(),
  html: Type.String(),
  isDefault: Type.Boolean({ description: 'the built-in template is in use' }),
  updatedAt: Nullable(DateTime),
  defaults: MailTemplatePartsSchema,
});
