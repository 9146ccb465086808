import type { RouteDef } from './router';
import { LazyPage } from './lazy-page';
import { shellRoutes } from './shared/routes';
import { adminRoutes } from './admin/routes';
import { portalRoutes } from './portal/routes';
import { agentRoutes } from './agent/routes';

// Each surface owns its route list; order matters only between overlapping patterns. The admin,
// help-center and agent pages are downloaded per surface on first use: every page renders inside
// LazyPage (a loading status while its surface downloads, a reload offer if that fails).
export const routes: RouteDef[] = [...adminRoutes, ...portalRoutes, ...agentRoutes, ...shellRoutes].map((route) => ({
  path: route.path,
  render: (params) => <LazyPage>{route.render(params)}</LazyPage>,
}));
