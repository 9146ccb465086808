import { lazySurface, pageRoute } from '../lazy-page';
import { queryClient } from '../query-client';
import { projectKeyOf, queueListQuery } from './queue-list';

// The agent workspace (docs/product.md#agent-workspace), downloaded only when one of its pages is
// visited (lazy-page.tsx). A page remounts when its params change (router.tsx: defaultRemountDeps).
const page = lazySurface(() => import('./agent-pages'));
const CustomersPage = page('CustomersPage');
const IssueSearchPage = page('IssueSearchPage');
const QueuePage = page('QueuePage');
const QueueViewPage = page('QueueViewPage');
const RequestPage = page('RequestPage');
const OrganizationsPage = page('OrganizationsPage');
const SatisfactionPage = page('SatisfactionPage');
const SlaSettingsPage = page('SlaSettingsPage');
const ApprovalSettingsPage = page('ApprovalSettingsPage');
const RaiseRequestPage = page('RaiseRequestPage');
const CannedResponsesPage = page('CannedResponsesPage');
const KnowledgeBasePage = page('KnowledgeBasePage');
const ArticleEditorPage = page('ArticleEditorPage');

/** `?q=words`: the knowledge-base list's search (none: every article by title). */
const kbSearch = (search: Record<string, unknown>): { q?: string } => {
  const q = typeof search.q === 'string' || typeof search.q === 'number' ? String(search.q).slice(0, 500) : '';
  return { q: q === '' ? undefined : q };
};

/** `?jql=…`: the query is the URL, so a search, a saved filter and a shared link are the same thing. */
export interface IssueSearch {
  jql?: string;
}

const issueSearch = (search: Record<string, unknown>): IssueSearch => ({ jql: typeof search.jql === 'string' ? search.jql : undefined });

/**
 * A project's page (and a request's, whose key starts with its project's) shows the project's side
 * navigation, whose queue list the router loads with the page, at the same time as the surface's code:
 * shown after its first paint, the list would push down the links below it — on a phone, the whole
 * page — as a person (or a test) goes to click one. Once the list is in the cache a page shows at
 * once, the list refreshed behind it when it is no longer fresh. A failure here is QueueNav's to show.
 */
const withQueueList = (params: { site: string; key: string }) =>
  queryClient.ensureQueryData({ ...queueListQuery(params.site, projectKeyOf(params.key)), revalidateIfStale: true }).then(
    () => undefined,
    () => undefined,
  );

/** `pageRoute` for a page in a project's frame (its path has `$site` and `$key`): its queue list loaded with it. */
const inProject: typeof pageRoute = (path, Page, props, validateSearch) =>
  pageRoute(path, Page, props, validateSearch, (params) => withQueueList(params as unknown as { site: string; key: string }));

export const agentRoutes = [
  inProject('/s/$site/jira/servicedesk/projects/$key/queues', QueuePage, ({ params }) => ({ site: params.site, projectKey: params.key })),
  inProject('/s/$site/jira/servicedesk/projects/$key/queues/custom/$queueId', QueueViewPage, ({ params }) => ({
    site: params.site,
    projectKey: params.key,
    queueId: params.queueId,
  })),
  inProject('/s/$site/jira/servicedesk/projects/$key/customers', CustomersPage, ({ params }) => ({ site: params.site, projectKey: params.key })),
  inProject('/s/$site/jira/servicedesk/projects/$key/organizations', OrganizationsPage, ({ params }) => ({ site: params.site, projectKey: params.key })),
  inProject('/s/$site/jira/servicedesk/projects/$key/canned-responses', CannedResponsesPage, ({ params }) => ({ site: params.site, projectKey: params.key })),
  inProject('/s/$site/jira/servicedesk/projects/$key/raise', RaiseRequestPage, ({ params }) => ({ site: params.site, projectKey: params.key })),
  inProject('/s/$site/jira/servicedesk/projects/$key/satisfaction', SatisfactionPage, ({ params }) => ({ site: params.site, projectKey: params.key })),
  inProject('/s/$site/jira/servicedesk/projects/$key/slas', SlaSettingsPage, ({ params }) => ({ site: params.site, projectKey: params.key })),
  inProject('/s/$site/jira/servicedesk/projects/$key/approvals', ApprovalSettingsPage, ({ params }) => ({ site: params.site, projectKey: params.key })),
  inProject(
    '/s/$site/jira/servicedesk/projects/$key/knowledge-base',
    KnowledgeBasePage,
    ({ params, search }) => ({ site: params.site, projectKey: params.key, query: search.q ?? '' }),
    kbSearch,
  ),
  inProject('/s/$site/jira/servicedesk/projects/$key/knowledge-base/new', ArticleEditorPage, ({ params }) => ({ site: params.site, projectKey: params.key })),
  inProject('/s/$site/jira/servicedesk/projects/$key/knowledge-base/$articleId', ArticleEditorPage, ({ params }) => ({
    site: params.site,
    projectKey: params.key,
    articleId: params.articleId,
  })),
  inProject('/s/$site/jira/servicedesk/projects/$key', QueuePage, ({ params }) => ({ site: params.site, projectKey: params.key })),
  inProject('/s/$site/browse/$key', RequestPage, ({ params }) => ({ site: params.site, issueKey: params.key })),
  pageRoute('/s/$site/issues', IssueSearchPage, ({ params, search }) => ({ site: params.site, jql: search.jql ?? null }), issueSearch),
] as const;
