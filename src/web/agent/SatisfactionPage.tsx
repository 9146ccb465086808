import { useQuery } from '@tanstack/react-query';
import { get } from '../api';
import { Link } from '../link';
import { Loading, PageHeading, LoadFailed } from '../shared/ui';
import { RatingSummary, SCORES, Stars, type ProjectSatisfaction } from '../components/Satisfaction';
import { AgentLayout } from './AgentLayout';
import { accessText } from './common';

/**
 * `/s/:site/jira/servicedesk/projects/:key/satisfaction`: how the project's customers rated their
 * resolved requests — the average, how many gave each score, and the latest ratings with their
 * comments (docs/product.md#satisfaction).
 */
export function SatisfactionPage({ site, projectKey }: { site: string; projectKey: string }) {
  return <AgentLayout site={site} projectKey={projectKey}>{() => <Satisfaction site={site} projectKey={projectKey.toUpperCase()} />}</AgentLayout>;
}

function Satisfaction({ site, projectKey }: { site: string; projectKey: string }) {
  const q = useQuery({
    queryKey: ['agent', site, 'satisfaction', projectKey],
    queryFn: () => get<ProjectSatisfaction>(`/s/${encodeURIComponent(site)}/api/agent/projects/${encodeURIComponent(projectKey)}/satisfaction`),
  });
  if (q.isError) return <LoadFailed error={q.error} message={accessText(q.error, `Project ${projectKey}`)} />;
  if (!q.data) return <Loading />;
  const s = q.data;
  const description =
    s.total === 0
      ? `${s.project.name} (${s.project.key}) — no customer has rated a resolved request yet.`
      : `${s.project.name} (${s.project.key}) — ${s.total.toLocaleString('en-US')} ${s.total === 1 ? 'rating' : 'ratings'}, ${s.average?.toFixed(2)} out of 5 on average.`;
  return (
    <>
      <PageHeading title="Customer satisfaction" description={description} />
      {s.total > 0 && (
        <>
          <h2>Ratings by score</h2>
          <ul className="sat-page-scores">
            {[...SCORES].reverse().map((score) => {
              const n = s.counts[String(score.value) as '1' | '2' | '3' | '4' | '5'];
              return (
                <li key={score.value} className="sat-page-score">
                  <span>
                    <Stars score={score.value} /> <span className="ui-visually-hidden">{score.value} out of 5, </span>
                    {score.words}
                  </span>
                  <span className="sat-bar" aria-hidden="true">
                    <span style={{ width: `${Math.round((n / s.total) * 100)}%` }} />
                  </span>
                  <span>{n}</span>
                </li>
              );
            })}
          </ul>
          <h2>Latest ratings</h2>
          <ul className="sat-latest">
            {s.latest.map((r) => (
              <li key={r.key}>
                <p className="sat-score-line">
                  <Link to="/s/$site/browse/$key" params={{ site, key: r.key }}>
                    {r.key}
                  </Link>{' '}
                  {r.summary}
                </p>
                <RatingSummary rating={r} showRater />
              </li>
            ))}
          </ul>
        </>
      )}
    </>
  );
}
