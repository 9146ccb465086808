import type { RouteDef } from '../router';

export const shellRoutes: RouteDef[] = [];
