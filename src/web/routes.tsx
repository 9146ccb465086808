import type { RouteDef } from './router';
import { shellRoutes } from './shared/routes';
import { adminRoutes } from './admin/routes';
import { portalRoutes } from './portal/routes';
import { agentRoutes } from './agent/routes';

// Each surface owns its route list; order matters only between overlapping patterns.
export const routes: RouteDef[] = [...adminRoutes, ...portalRoutes, ...agentRoutes, ...shellRoutes];
