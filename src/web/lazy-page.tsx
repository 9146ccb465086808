import { Component, lazy, Suspense, useEffect, useState, type ComponentType, type LazyExoticComponent, type ReactNode } from 'react';
import { useLocation } from './router';

// Code-splitting by surface: the admin console, the agent workspace and the help center are each
// downloaded on the first visit to one of their pages, so a customer never loads the admin console.

/** The code of a surface could not be downloaded (offline, or a redeploy removed the old files). */
export class SurfaceLoadError extends Error {
  constructor(cause: unknown) {
    super('The page could not be downloaded.', { cause });
    this.name = 'SurfaceLoadError';
  }
}

// any props here: each lazy page keeps its own props type (checked where it is rendered)
type AnyComponent = ComponentType<any>;
type ComponentKeys<M> = { [K in keyof M]: M[K] extends AnyComponent ? K : never }[keyof M];

/**
 * A surface whose page modules `load` imports together (one download for the whole surface, so
 * moving between its pages never waits again). Returns `page(name)`: a lazy page component.
 */
export function lazySurface<M>(load: () => Promise<M>) {
  let loading: Promise<M> | undefined;
  const once = () => {
    // a failed download may be retried (by the next lazy page of the surface, or a reload)
    loading ??= load().catch((err: unknown) => {
      loading = undefined;
      throw new SurfaceLoadError(err);
    });
    return loading;
  };
  return function page<K extends ComponentKeys<M>>(name: K): LazyExoticComponent<Extract<M[K], AnyComponent>> {
    return lazy(() => once().then((m) => ({ default: m[name] as Extract<M[K], AnyComponent> })));
  };
}

/** Shown while a surface downloads: announced politely, and only after a moment so a fast load does not flash. */
export function PageLoading() {
  const [shown, setShown] = useState(false);
  useEffect(() => {
    const timer = setTimeout(() => setShown(true), 200);
    return () => clearTimeout(timer);
  }, []);
  return (
    <main className="page page-narrow" aria-busy="true">
      <p role="status" className="ui-muted">
        {shown ? 'Loading page…' : ''}
      </p>
    </main>
  );
}

interface BoundaryProps {
  /** the path shown: another path is a new chance to load */
  path: string;
  children: ReactNode;
}

interface BoundaryState {
  failed: unknown;
}

/**
 * A page whose code could not be downloaded gets a message and a reload, not a blank screen.
 * Any other error is not this boundary's business: it is thrown on, as without the boundary.
 */
class PageLoadBoundary extends Component<BoundaryProps, BoundaryState> {
  state: BoundaryState = { failed: null };

  static getDerivedStateFromError(error: unknown): BoundaryState {
    return { failed: error ?? new Error('unknown error') };
  }

  componentDidUpdate(prev: BoundaryProps) {
    if (this.state.failed && prev.path !== this.props.path) this.setState({ failed: null });
  }

  render() {
    if (!this.state.failed) return this.props.children;
    if (!(this.state.failed instanceof SurfaceLoadError)) throw this.state.failed;
    return (
      <main className="page page-narrow">
        <h1>This page could not be loaded</h1>
        <p role="alert">Portico could not download this page. Check your connection, then reload.</p>
        <p>
          <button type="button" onClick={() => window.location.reload()}>
            Reload
          </button>
        </p>
      </main>
    );
  }
}

/** Wraps a route's page: the loading fallback while its surface downloads, a reload offer if that fails. */
export function LazyPage({ children }: { children: ReactNode }) {
  const { path } = useLocation();
  return (
    <PageLoadBoundary path={path}>
      <Suspense fallback={<PageLoading />}>{children}</Suspense>
    </PageLoadBoundary>
  );
}
