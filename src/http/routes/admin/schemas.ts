import { Type } from 'typebox';
import { displayLabel } from '../../../domain/display.js';
import type { CustomerRecord } from '../../../domain/customers.js';

export const TAGS = ['admin'];

export const ErrorSchema = Type.Object(
  {
    errorMessages: Type.Array(Type.String()),
    errors: Type.Record(Type.String(), Type.String()),
    status: Type.Optional(Type.Integer()),
    errorMessage: Type.Optional(Type.String()),
  },
  { description: 'Atlassian error shape' },
);

export const errorResponses = {
  400: ErrorSchema,
  401: ErrorSchema,
  403: ErrorSchema,
  404: ErrorSchema,
};

export const SiteSlugParams = Type.Object({ slug: Type.String({ minLength: 1, maxLength: 63, description: 'site slug' }) });
export const CustomerParams = Type.Object({
  slug: Type.String({ minLength: 1, maxLength: 63, description: 'site slug' }),
  accountId: Type.String({ minLength: 1, maxLength: 128, description: 'portal-only account id (qm:<uuid>)' }),
});
export const OrgParams = Type.Object({ orgId: Type.String({ minLength: 1, maxLength: 64, description: 'organization id' }) });

export const UserManagementSchema = Type.Union([Type.Literal('original'), Type.Literal('centralized')]);

export const CustomerSchema = Type.Object({
  accountId: Type.String(),
  displayName: Type.String(),
  label: Type.String({ description: 'display label: "Name" or "Name (Deactivated)"' }),
  email: Type.String(),
  status: Type.Union([Type.Literal('active'), Type.Literal('revoked')]),
  lastActiveAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
  createdAt: Type.String({ format: 'date-time' }),
});

export const CustomerPageSchema = Type.Object({
  start: Type.Integer(),
  limit: Type.Integer(),
  total: Type.Integer(),
  isLastPage: Type.Boolean(),
  values: Type.Array(CustomerSchema),
});

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

export const StaffUsersSchema = Type.Object({
  values: Type.Array(Type.Object({ accountId: Type.String(), displayName: Type.String(), email: Type.String(), roles: Type.Array(Type.String()) })),
});

export const StaffGroupsSchema = Type.Object({
  values: Type.Array(Type.Object({ name: Type.String(), description: Type.String(), memberCount: Type.Integer() })),
});

const StatusSchema = Type.Union([Type.Literal('active'), Type.Literal('revoked'), Type.Literal('deleted')]);

export const BulkResultSchema = Type.Object({
  dryRun: Type.Boolean(),
  changed: Type.Integer(),
  results: Type.Array(
    Type.Object({
      accountId: Type.String(),
      label: Type.Union([Type.String(), Type.Null()]),
      outcome: Type.Union([Type.Literal('changed'), Type.Literal('unchanged'), Type.Literal('not_found')]),
      from: Type.Union([StatusSchema, Type.Null()]),
      to: Type.Union([StatusSchema, Type.Null()]),
    }),
  ),
});

export const AuditPageSchema = Type.Object({
  start: Type.Integer(),
  limit: Type.Integer(),
  isLastPage: Type.Boolean(),
  values: Type.Array(
    Type.Object({
      id: Type.String(),
      action: Type.String(),
      actor: Type.Union([Type.Object({ accountId: Type.String(), label: Type.String() }), Type.Null()]),
      target: Type.Union([
        Type.Object({ accountId: Type.String(), label: Type.String(), email: Type.Union([Type.String(), Type.Null()]) }),
        Type.Null(),
      ]),
      site: Type.Union([Type.Object({ slug: Type.String(), name: Type.String() }), Type.Null()]),
      createdAt: Type.String({ format: 'date-time' }),
      ip: Type.Union([Type.String(), Type.Null()]),
      userAgent: Type.Union([Type.String(), Type.Null()]),
      details: Type.Record(Type.String(), Type.Unknown()),
    }),
  ),
});

/** What the admin console shows of a customer; every person goes through displayLabel. */
export function presentCustomer(c: CustomerRecord) {
  return {
    accountId: c.accountId,
    displayName: c.displayName ?? '',
    label: displayLabel({ display_name: c.displayName, status: c.status }),
    email: c.email ?? '',
    status: c.status as 'active' | 'revoked',
    lastActiveAt: c.lastActiveAt ? c.lastActiveAt.toISOString() : null,
    createdAt: c.createdAt.toISOString(),
  };
}
