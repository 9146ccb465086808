import { use, type ComponentProps, type ComponentType, type ReactNode } from 'react';
import { createRoute, type ErrorComponentProps, type ResolveParams } from '@tanstack/react-router';
import { rootRoute } from './root-route';
import { Button } from './shared/ui';

// Code-splitting by surface: the admin console, the agent workspace and the help center are each
// downloaded on the first visit to one of their pages, so a customer never loads the admin console.
// The router waits for a page's surface before it shows the page (`preload`, called by TanStack
// Router for a route's component), showing the pending page meanwhile; a failed download is the
// route's error, shown by PageError (router.tsx makes both the defaults of every route).

/** The code of a surface could not be downloaded (offline, or a redeploy removed the old files). */
export class SurfaceLoadError extends Error {
  constructor(cause: unknown) {
    super('The page could not be downloaded.', { cause });
    this.name = 'SurfaceLoadError';
  }
}

// any props here: each lazy page keeps its own props type (checked where its route gives them)
type AnyComponent = ComponentType<any>;
type ComponentKeys<M> = { [K in keyof M]: M[K] extends AnyComponent ? K : never }[keyof M];

/** A page of a lazily downloaded surface: renders once the surface is there; `preload` downloads it. */
export interface LazyPage<P> {
  (props: P): ReactNode;
  preload: () => Promise<void>;
}

/**
 * A surface whose pages `load` imports: the surface's one module of pages (agent/agent-pages.ts …),
 * so the bundler makes it one download, and moving between its pages never waits again
 * (docs/architecture.md, "The web app's files"). Returns `page(name)`: that page, lazily.
 */
export function lazySurface<M>(load: () => Promise<M>) {
  let loaded: M | undefined;
  let loading: Promise<M> | undefined;
  const once = () =>
    // a failed download may be tried again (by the next navigation to the surface, or a reload)
    (loading ??= load().then(
      (m) => (loaded = m),
      (err: unknown) => {
        loading = undefined;
        throw new SurfaceLoadError(err);
      },
    ));
  const preload = () => once().then(() => undefined);
  return function page<K extends ComponentKeys<M>>(name: K): LazyPage<ComponentProps<Extract<M[K], AnyComponent>>> {
    function Page(props: ComponentProps<Extract<M[K], AnyComponent>>) {
      // the router preloads before rendering, so `use` suspends only if something renders it earlier
      const Component = (loaded ?? use(once()))[name] as AnyComponent;
      return <Component {...props} />;
    }
    Page.preload = preload;
    return Page;
  };
}

/**
 * A page's route, directly below the root: its path (TanStack's `$param` syntax), its page, and
 * `props`, which reads the page's props from the route's typed params and search. `validateSearch`
 * turns the URL's search strings into the route's typed search (router.tsx parses them). The page's
 * surface is downloaded before the page shows (the router calls the route component's `preload`);
 * so is what `load` fetches, at the same time: what the page's frame shows around it, so that the frame
 * appears whole rather than in steps that move its links (agent/routes.tsx). `load` must not throw:
 * a failure is the page's own to show, when its query asks again.
 */
export function pageRoute<const TPath extends string, P, TSearch extends object = Record<never, never>>(
  path: TPath,
  Page: LazyPage<P> | ComponentType<P>,
  props: (match: { params: ResolveParams<TPath>; search: TSearch }) => NoInfer<P>,
  validateSearch: (search: Record<string, unknown>) => TSearch = () => ({}) as TSearch,
  load?: (params: ResolveParams<TPath>) => Promise<void>,
) {
  const route = createRoute({
    getParentRoute: () => rootRoute,
    path,
    validateSearch,
    ...(load ? { loader: ({ params }: { params: unknown }) => load(params as ResolveParams<TPath>) } : {}),
  });
  function RoutePage() {
    const Component = Page as ComponentType<any>;
    return <Component {...props({ params: route.useParams() as ResolveParams<TPath>, search: route.useSearch() as TSearch })} />;
  }
  if ('preload' in Page) RoutePage.preload = Page.preload;
  return route.update({ component: RoutePage });
}

/** Shown while a page's surface downloads (after a moment, so a fast load does not flash): announced politely. */
export function PageLoading() {
  return (
    <main className="page page-narrow" aria-busy="true">
      <p role="status" className="ui-muted">
        Loading page…
      </p>
    </main>
  );
}

/** A page whose code could not be downloaded gets a message and a reload, not a blank screen. */
function PageLoadFailed() {
  return (
    <main className="page page-narrow">
      <h1>This page could not be loaded</h1>
      <p role="alert">Portico could not download this page. Check your connection, then reload.</p>
      <p>
        <Button variant="primary" onPress={() => window.location.reload()}>
          Reload
        </Button>
      </p>
    </main>
  );
}

/**
 * A route's error: a page whose surface could not be downloaded offers a reload. Any other error is
 * not the router's business: it is thrown on, as it was before routes had error components.
 */
export function PageError({ error }: ErrorComponentProps) {
  if (error instanceof SurfaceLoadError) return <PageLoadFailed />;
  throw error;
}
