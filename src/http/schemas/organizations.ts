import { Type } from 'typebox';
import { ProjectCustomerSchema } from './customers.js';

// Customer organizations on the internal API (routes/organizations.ts, presenters/organizations.ts):
// the agent workspace's and the admin console's pages, and the help center's sharing.

export const CustomerOrganizationSchema = Type.Object({
  id: Type.String(),
  name: Type.String(),
  createdAt: Type.String({ format: 'date-time' }),
});

export const CustomerOrganizationRowSchema = Type.Object({
  ...CustomerOrganizationSchema.properties,
  memberCount: Type.Integer({ minimum: 0 }),
});

export const CustomerOrganizationsPageSchema = Type.Object({
  start: Type.Integer(),
  limit: Type.Integer(),
  isLastPage: Type.Boolean(),
  /** whether the caller may create, rename and fill organizations (agents and admins) */
  canManage: Type.Boolean(),
  /** whether the caller may delete them (the site's admins) */
  canDelete: Type.Boolean(),
  values: Type.Array(CustomerOrganizationRowSchema),
});

export const OrganizationMembersPageSchema = Type.Object({
  organization: CustomerOrganizationSchema,
  start: Type.Integer(),
  limit: Type.Integer(),
  isLastPage: Type.Boolean(),
  values: Type.Array(ProjectCustomerSchema),
});

export const ChangedMembersSchema = Type.Object({ accountIds: Type.Array(Type.String()) });

export const CustomerSharingSchema = Type.Union([Type.Literal('nobody'), Type.Literal('request'), Type.Literal('organizations'), Type.Literal('project')], {
  description:
    "whom the project's customers may find in its pickers and share requests with: nobody, people already on the request, also fellow members of their organizations (the default), or also anyone in the project",
});

export const ProjectSharingSchema = Type.Object({ customerSharing: CustomerSharingSchema });

export const ProjectOrganizationsPageSchema = Type.Object({
  project: Type.Object({ id: Type.String(), key: Type.String(), name: Type.String(), customerSharing: CustomerSharingSchema }),
  start: Type.Integer(),
  limit: Type.Integer(),
  isLastPage: Type.Boolean(),
  values: Type.Array(CustomerOrganizationRowSchema),
});

export const RequestOrganizationsSchema = Type.Object({ values: Type.Array(CustomerOrganizationSchema) });
