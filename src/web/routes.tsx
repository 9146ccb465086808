import { rootRoute } from './root-route';
import { shellRoutes } from './shared/routes';
import { adminRoutes } from './admin/routes';
import { portalRoutes } from './portal/routes';
import { agentRoutes } from './agent/routes';

// Each surface owns its routes (its routes.tsx); TanStack Router ranks them by specificity, so their
// order does not matter. The admin, help-center and agent pages are downloaded per surface on first
// use (lazy-page.tsx).
export const routeTree = rootRoute.addChildren([...shellRoutes, ...adminRoutes, ...portalRoutes, ...agentRoutes]);
