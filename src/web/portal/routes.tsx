import type { RouteDef } from '../router';

export const portalRoutes: RouteDef[] = [];
