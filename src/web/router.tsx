import { createContext, useContext, useEffect, useState, type ReactNode, type MouseEvent } from 'react';

/**
 * A small history-API router: routes are path patterns with :params ("/s/:site/browse/:key").
 * Enough for Portico's pages without another dependency.
 */
export interface RouteDef {
  path: string;
  render: (params: Record<string, string>) => ReactNode;
}

const LocationContext = createContext<{ path: string; search: string }>({ path: '/', search: '' });

function current() {
  return { path: window.location.pathname, search: window.location.search };
}

const listeners = new Set<() => void>();

export function navigate(to: string, options: { replace?: boolean } = {}) {
  if (options.replace) window.history.replaceState(null, '', to);
  else window.history.pushState(null, '', to);
  listeners.forEach((l) => l());
}

export function useLocation() {
  return useContext(LocationContext);
}

export function useSearchParams(): URLSearchParams {
  return new URLSearchParams(useLocation().search);
}

export function matchPath(pattern: string, path: string): Record<string, string> | null {
  const p = pattern.split('/').filter(Boolean);
  const s = path.split('/').filter(Boolean);
  if (p.length !== s.length) return null;
  const params: Record<string, string> = {};
  for (let i = 0; i < p.length; i++) {
    if (p[i].startsWith(':')) params[p[i].slice(1)] = decodeURIComponent(s[i]);
    else if (p[i] !== s[i]) return null;
  }
  return params;
}

export function Router({ routes, fallback }: { routes: RouteDef[]; fallback: ReactNode }) {
  const [loc, setLoc] = useState(current);
  useEffect(() => {
    const update = () => setLoc(current());
    listeners.add(update);
    window.addEventListener('popstate', update);
    return () => {
      listeners.delete(update);
      window.removeEventListener('popstate', update);
    };
  }, []);
  let content: ReactNode = fallback;
  for (const r of routes) {
    const params = matchPath(r.path, loc.path);
    if (params) {
      content = r.render(params);
      break;
    }
  }
  return <LocationContext.Provider value={loc}>{content}</LocationContext.Provider>;
}

/** An in-app link: a real <a href> (so it works with a new tab) that navigates without reload. */
export function Link({ to, children, className, ...rest }: { to: string; children: ReactNode; className?: string; 'aria-current'?: 'page' | undefined }) {
  const onClick = (e: MouseEvent<HTMLAnchorElement>) => {
    if (e.defaultPrevented || e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return;
    e.preventDefault();
    navigate(to);
  };
  return (
    <a href={to} onClick={onClick} className={className} {...rest}>
      {children}
    </a>
  );
}
