import { createRootRoute } from '@tanstack/react-router';

/** Any address that is no route of the tree. */
function NotFound() {
  return (
    <main className="page page-narrow">
      <h1>Page not found</h1>
      <p>This address does not lead to a page of Portico.</p>
      <p>
        <a href="/login">Log in</a>
      </p>
    </main>
  );
}

/** The root of the route tree (routes.tsx): every page hangs directly below it. */
export const rootRoute = createRootRoute({ notFoundComponent: NotFound });
