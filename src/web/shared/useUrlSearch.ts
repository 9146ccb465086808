import { useCallback, useMemo } from 'react';
import { useNavigate, useRouterState } from '@tanstack/react-router';

/**
 * A page's own state kept in its URL's query string (a search, filters, the page shown), so a
 * reload, the browser's history and a link sent to a colleague open the same view. Values are read
 * as strings; setting one to '' or undefined removes it. The change replaces the history entry.
 */
export function useUrlSearch(): [Record<string, string>, (next: Record<string, string | number | undefined>) => void] {
  const raw = useRouterState({ select: (s) => s.location.search as Record<string, unknown> });
  const navigate = useNavigate();
  const values = useMemo(() => {
    const out: Record<string, string> = {};
    for (const [k, v] of Object.entries(raw ?? {})) if (v !== undefined && v !== null && v !== '') out[k] = String(v);
    return out;
  }, [raw]);
  const set = useCallback(
    (next: Record<string, string | number | undefined>) => {
      const search: Record<string, string> = {};
      for (const [k, v] of Object.entries(next)) if (v !== undefined && v !== '' && v !== 0) search[k] = String(v);
      void navigate({ to: '.', search: search as never, replace: true });
    },
    [navigate],
  );
  return [values, set];
}
