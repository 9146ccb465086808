import type { RouteDef } from '../router';
import { lazySurface } from '../lazy-page';

// The agent workspace is downloaded only when one of its pages is visited (lazy-page.tsx).
const page = lazySurface(() =>
  Promise.all([import('./CustomersPage'), import('./IssueSearchPage'), import('./QueuePage'), import('./RequestPage')]).then(
    ([customers, search, queue, request]) => ({ ...customers, ...search, ...queue, ...request }),
  ),
);
const CustomersPage = page('CustomersPage');
const IssueSearchPage = page('IssueSearchPage');
const QueuePage = page('QueuePage');
const RequestPage = page('RequestPage');

// The agent workspace (docs/product.md#agent-workspace). `key` props remount a page when its project/request changes.
export const agentRoutes: RouteDef[] = [
  { path: '/s/:site/jira/servicedesk/projects/:key/queues', render: ({ site, key }) => <QueuePage key={`${site}/${key}`} site={site} projectKey={key} /> },
  { path: '/s/:site/jira/servicedesk/projects/:key/customers', render: ({ site, key }) => <CustomersPage key={`${site}/${key}`} site={site} projectKey={key} /> },
  { path: '/s/:site/jira/servicedesk/projects/:key', render: ({ site, key }) => <QueuePage key={`${site}/${key}`} site={site} projectKey={key} /> },
  { path: '/s/:site/browse/:key', render: ({ site, key }) => <RequestPage key={`${site}/${key}`} site={site} issueKey={key} /> },
  { path: '/s/:site/issues', render: ({ site }) => <IssueSearchPage key={site} site={site} /> },
];
