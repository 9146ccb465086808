import { useQuery } from '@tanstack/react-query';
import { Link } from '../link';
import { queueListQuery } from './queue-list';

// The project's queues in the agent workspace's side navigation (docs/product.md#queues).

/** The side navigation's queues with their counts (as the viewer sees them: "Assigned to me" is theirs). */
export function QueueNav({ site, projectKey }: { site: string; projectKey: string }) {
  const q = useQuery(queueListQuery(site, projectKey));
  if (!q.data) return null;
  return (
    <ul className="agent-queue-nav" aria-label="Queues">
      {q.data.values.map((queue) => (
        <li key={queue.id}>
          <Link
            to="/s/$site/jira/servicedesk/projects/$key/queues/custom/$queueId"
            params={{ site, key: projectKey.toUpperCase(), queueId: queue.id }}
            className="agent-nav-link agent-queue-link"
            activeOptions={{ exact: true, includeSearch: false }}
            activeProps={{ className: 'is-current' }}
          >
            <span>{queue.name}</span>
            <span className="agent-queue-count" data-testid={`queue-count-${queue.name}`}>
              {queue.issueCount ?? '–'}
            </span>
          </Link>
        </li>
      ))}
    </ul>
  );
}
