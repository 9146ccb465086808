import type { App, AppDeps } from '../deps.js';
import { registerAuthRoutes } from './auth/index.js';
import { registerAdminRoutes } from './admin/index.js';
import { registerPortalRoutes } from './portal/index.js';
import { registerUnsubscribeRoutes } from './portal/unsubscribe.js';
import { registerUserPickerRoute } from './users-picker.js';
import { registerAgentRoutes } from './agent/index.js';
import { registerOrganizationRoutes } from './organizations.js';
import { registerCustomerAccessRoutes } from './rest/customer-access.js';
import { registerRestRoutes } from './rest/index.js';
import { registerAccessReviewRoutes } from './access-reviews.js';
import { registerMailboxRoutes } from './admin/mailboxes.js';
import { registerWebhookRoutes } from './admin/webhooks.js';
import { registerIdentityProviderRoutes } from './admin/identity-provider.js';
import { registerAttachmentRoutes } from './portal/attachments.js';
import { registerSatisfactionRoutes } from './satisfaction.js';
import { registerCannedResponseRoutes } from './canned-responses.js';
import { registerApprovalRoutes } from './approvals.js';
import { registerSlaRoutes } from './sla.js';
import { registerScimRoutes } from './scim/index.js';
import { registerScimAdminRoutes } from './admin/scim.js';

// Each surface registers its own routes.
export async function registerRoutes(app: App, deps: AppDeps): Promise<void> {
  await registerAuthRoutes(app, deps);
  await registerAdminRoutes(app, deps);
  await registerPortalRoutes(app, deps);
  await registerUnsubscribeRoutes(app, deps);
  await registerUserPickerRoute(app, deps);
  await registerAgentRoutes(app, deps);
  await registerOrganizationRoutes(app, deps);
  await registerCustomerAccessRoutes(app, deps);
  await registerRestRoutes(app, deps);
  registerAccessReviewRoutes(app, deps);
  await registerMailboxRoutes(app, deps);
  await registerWebhookRoutes(app, deps);
  await registerIdentityProviderRoutes(app, deps);
  await registerAttachmentRoutes(app, deps);
  await registerSatisfactionRoutes(app, deps);
  await registerCannedResponseRoutes(app, deps);
  await registerApprovalRoutes(app, deps);
  await registerSlaRoutes(app, deps);
  await registerScimRoutes(app, deps);
  await registerScimAdminRoutes(app, deps);
}
