import { QueryClient } from '@tanstack/react-query';

/**
 * The web app's one cache of server state (TanStack Query): the pages' queries, and what a route's
 * loader fetches before its page shows (agent/routes.tsx: a project's queue list).
 */
export const queryClient = new QueryClient({
  defaultOptions: { queries: { retry: false, refetchOnWindowFocus: false } },
});
