import type { App, AppDeps } from '../deps.js';

// Each surface registers its routes here, one line each.
export async function registerRoutes(app: App, deps: AppDeps): Promise<void> {
  void app;
  void deps;
}
