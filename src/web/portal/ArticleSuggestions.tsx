import { useQuery } from '@tanstack/react-query';
import { useDebouncedValue } from '../shared/useDebouncedValue';
import { Link } from '../link';
import { portalApi } from './portal-api';

/**
 * Beside the request form: the portal's articles that match what the customer has typed as the
 * summary so far (once typing pauses), so an answer can be found before a request is raised. Says
 * nothing until there is something to suggest.
 */
export function ArticleSuggestions({ site, projectId, summary }: { site: string; projectId: string; summary: string }) {
  const query = useDebouncedValue(summary.trim(), 400);
  const q = useQuery({
    queryKey: ['portal', site, 'kb-suggestions', projectId, query],
    queryFn: () => portalApi.searchKb(site, projectId, query, 5),
    enabled: query.length >= 3,
    staleTime: 60_000,
  });
  const articles = query.length >= 3 && q.data ? q.data.values : [];
  return (
    <aside className="portal-suggestions" aria-labelledby="suggestions-heading">
      <h2 id="suggestions-heading" className="portal-suggestions-heading">Suggested articles</h2>
      <div aria-live="polite">
        {articles.length === 0 ? (
          <p className="ui-muted">Type a summary: articles that may answer it appear here.</p>
        ) : (
          <ul className="portal-kb-results" aria-label="Suggested articles">
            {articles.map((a) => (
              <li key={a.id}>
                <Link to="/s/$site/servicedesk/customer/article/$id" params={{ site, id: a.id }} target="_blank">
                  {a.title}
                </Link>
                <p className="ui-muted">{a.excerpt}</p>
              </li>
            ))}
          </ul>
        )}
      </div>
    </aside>
  );
}
