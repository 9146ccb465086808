import type { RouteDef } from '../router';

export const agentRoutes: RouteDef[] = [];
