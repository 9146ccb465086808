import { Type } from 'typebox';
import { Nullable, List } from './common.js';
import { UserManagementSchema } from './admin.js';

// Responses of sign-in, sessions, password reset and API tokens (routes/auth). The session answers
// drive the web app's shell: its "Log in" button, the landing redirects, the CSRF token for writes.

export const LoginResponseSchema = Type.Object({
  accountId: Type.String(),
  displayName: Type.String(),
  email: Type.String(),
  csrfToken: Type.String(),
});

export const SessionAccountSchema = Type.Object({
  accountId: Type.String(),
  displayName: Type.String(),
  email: Type.String(),
});

export const StaffSessionSchema = Type.Object({
  account: SessionAccountSchema,
  csrfToken: Type.String(),
  organizations: Type.Array(Type.Object({
    id: Type.String(),
    name: Type.String(),
    userManagement: UserManagementSchema,
    isOrgAdmin: Type.Boolean(),
    sites: Type.Array(Type.Object({
      id: Type.String(),
      slug: Type.String(),
      name: Type.String(),
      url: Type.String(),
      isSiteAdmin: Type.Boolean(),
    })),
  })),
  agentProjects: Type.Array(Type.Object({
    siteSlug: Type.String(),
    siteName: Type.String(),
    projectId: Type.String(),
    projectKey: Type.String(),
    projectName: Type.String(),
  })),
});

export const CustomerSessionSchema = Type.Object({
  account: SessionAccountSchema,
  csrfToken: Type.String(),
  site: Type.Object({ slug: Type.String(), name: Type.String() }),
});

/** The same answer whatever the email (nothing tells whether the account exists). */
export const PasswordResetAcceptedSchema = Type.Object({ message: Type.String() });

export const ApiTokenSummarySchema = Type.Object({
  id: Type.String(),
  label: Type.String(),
  createdAt: Type.String(),
  lastUsedAt: Nullable(Type.String()),
});
export const ApiTokenListSchema = List(ApiTokenSummarySchema);

/** A new API token: the secret is in this answer only. */
export const CreatedApiTokenSchema = Type.Object({ id: Type.String(), label: Type.String(), token: Type.String() });
