import type { App, AppDeps } from '../../deps.js';
import { registerServiceDeskRoutes } from './servicedesk.js';
import { registerUserRoutes } from './users.js';
import { registerSearchRoutes } from './search.js';
import { registerRequestRoutes, registerRequestStatusRoutes } from './requests.js';
import { registerInfoRoutes } from './info.js';
import { registerKnowledgeBaseRoutes } from './knowledgebase.js';
import { registerOrganizationRoutes } from './organizations.js';
import { registerPorticoRestRoutes } from './portico.js';
import { registerQueueRoutes } from './queues.js';
import { registerAccessLifecycleRestRoutes } from './access-lifecycle.js';
import { registerOwnDataRoutes } from './own-data.js';
import { registerEmailChangeRestRoutes } from './email-change.js';
import { registerRestAttachmentRoutes } from './attachments.js';

/** The Atlassian-compatible REST API under /s/{site}/rest (docs/product.md#rest-api). */
export async function registerRestRoutes(app: App, deps: AppDeps): Promise<void> {
  registerServiceDeskRoutes(app, deps);
  registerQueueRoutes(app, deps);
  registerUserRoutes(app, deps);
  registerSearchRoutes(app, deps);
  registerRequestRoutes(app, deps);
  registerRequestStatusRoutes(app, deps);
  await registerRestAttachmentRoutes(app, deps);
  registerKnowledgeBaseRoutes(app, deps);
  registerOrganizationRoutes(app, deps);
  registerPorticoRestRoutes(app, deps);
  registerAccessLifecycleRestRoutes(app, deps);
  registerOwnDataRoutes(app, deps);
  registerEmailChangeRestRoutes(app, deps);
  registerInfoRoutes(app, deps);
}
