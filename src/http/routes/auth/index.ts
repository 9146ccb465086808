import type { App, AppDeps } from '../../deps.js';
import { registerStaffAuthRoutes } from './staff.js';
import { registerPortalAuthRoutes } from './portal.js';
import { registerSignupRoutes } from './signup.js';
import { registerSsoRoutes } from './sso.js';
import { registerTokenRoutes } from './tokens.js';
import { registerOutboxRoutes } from './outbox.js';
import { registerCliRoutes } from './cli.js';
import { registerConfirmEmailRoutes } from './confirm-email.js';
import { registerMyselfRoute } from '../rest/myself.js';

/** Sign-in, sessions, password reset, sign-up, API tokens, the outbox, and GET /rest/api/3/myself. */
export async function registerAuthRoutes(app: App, deps: AppDeps): Promise<void> {
  await registerStaffAuthRoutes(app, deps);
  await registerPortalAuthRoutes(app, deps);
  await registerSignupRoutes(app, deps);
  await registerSsoRoutes(app, deps);
  await registerTokenRoutes(app, deps);
  await registerOutboxRoutes(app, deps);
  await registerCliRoutes(app, deps);
  await registerConfirmEmailRoutes(app, deps);
  await registerMyselfRoute(app, deps);
}
