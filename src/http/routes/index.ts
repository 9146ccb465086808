import type { App, AppDeps } from '../deps.js';

// Each surface registers its routes here, one line each.
export async function registerRoutes(app: App, deps: AppDeps): Promise<void> {
  void app;
  void deps;
  await (await import('./agent/index.js')).registerAgentRoutes(app, deps);
  await (await import('./auth/index.js')).registerAuthRoutes(app, deps);
  await (await import('./admin/index.js')).registerAdminRoutes(app, deps);
  await (await import('./rest/customer-access.js')).registerCustomerAccessRoutes(app, deps);
  await (await import('./portal/index.js')).registerPortalRoutes(app, deps);
  await (await import('./users-picker.js')).registerUserPickerRoute(app, deps);
  await (await import('./rest/index.js')).registerRestRoutes(app, deps);
}
