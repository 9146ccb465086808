import { createRouter } from '@tanstack/react-router';
import { PageError, PageLoading } from './lazy-page';
import { routeTree } from './routes';

// The web app's router: TanStack Router over the code-based route tree of routes.tsx. Pages link
// with the typed Link of link.tsx and navigate with useNavigate(); both are checked against the
// tree (paths, params, search), registered below.

/**
 * Search params as plain `key=value` pairs (URLSearchParams), as Portico's URLs always were:
 * `?jql=project+%3D+HELP`, `?start=50`, `?next=%2Fprojects` — not TanStack's JSON-in-the-URL default.
 * Each route's validateSearch turns the strings into its typed search.
 */
function parseSearch(search: string): Record<string, unknown> {
  return Object.fromEntries(new URLSearchParams(search));
}

function stringifySearch(search: Record<string, unknown>): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(search)) if (value !== undefined && value !== null) params.set(key, String(value));
  const text = params.toString();
  return text ? `?${text}` : '';
}

export const router = createRouter({
  routeTree,
  parseSearch,
  stringifySearch,
  // paths match as they always did: case-sensitive; a page remounts when its params change
  caseSensitive: true,
  defaultRemountDeps: ({ params }) => params,
  // a page whose surface is still downloading after 200 ms shows "Loading page…"
  defaultPendingComponent: PageLoading,
  defaultPendingMs: 200,
  defaultErrorComponent: PageError,
  // errors other than a failed download are not caught by the router (PageError throws them on)
  disableGlobalCatchBoundary: true,
});

declare module '@tanstack/react-router' {
  interface Register {
    router: typeof router;
  }
}
