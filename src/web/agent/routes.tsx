import { lazySurface, pageRoute } from '../lazy-page';

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

export const agentRoutes = [
  pageRoute('/s/$site/jira/servicedesk/projects/$key/queues', QueuePage, ({ params }) => ({ site: params.site, projectKey: params.key })),
  pageRoute('/s/$site/jira/servicedesk/projects/$key/queues/custom/$queueId', QueueViewPage, ({ params }) => ({
    site: params.site,
    projectKey: params.key,
    queueId: params.queueId,
  })),
  pageRoute('/s/$site/jira/servicedesk/projects/$key/customers', CustomersPage, ({ params }) => ({ site: params.site, projectKey: params.key })),
  pageRoute('/s/$site/jira/servicedesk/projects/$key/organizations', OrganizationsPage, ({ params }) => ({ site: params.site, projectKey: params.key })),
  pageRoute('/s/$site/jira/servicedesk/projects/$key/canned-responses', CannedResponsesPage, ({ params }) => ({ site: params.site, projectKey: params.key })),
  pageRoute('/s/$site/jira/servicedesk/projects/$key/raise', RaiseRequestPage, ({ params }) => ({ site: params.site, projectKey: params.key })),
  pageRoute('/s/$site/jira/servicedesk/projects/$key/satisfaction', SatisfactionPage, ({ params }) => ({ site: params.site, projectKey: params.key })),
  pageRoute('/s/$site/jira/servicedesk/projects/$key/slas', SlaSettingsPage, ({ params }) => ({ site: params.site, projectKey: params.key })),
  pageRoute('/s/$site/jira/servicedesk/projects/$key/approvals', ApprovalSettingsPage, ({ params }) => ({ site: params.site, projectKey: params.key })),
  pageRoute(
    '/s/$site/jira/servicedesk/projects/$key/knowledge-base',
    KnowledgeBasePage,
    ({ params, search }) => ({ site: params.site, projectKey: params.key, query: search.q ?? '' }),
    kbSearch,
  ),
  pageRoute('/s/$site/jira/servicedesk/projects/$key/knowledge-base/new', ArticleEditorPage, ({ params }) => ({ site: params.site, projectKey: params.key })),
  pageRoute('/s/$site/jira/servicedesk/projects/$key/knowledge-base/$articleId', ArticleEditorPage, ({ params }) => ({
    site: params.site,
    projectKey: params.key,
    articleId: params.articleId,
  })),
  pageRoute('/s/$site/jira/servicedesk/projects/$key', QueuePage, ({ params }) => ({ site: params.site, projectKey: params.key })),
  pageRoute('/s/$site/browse/$key', RequestPage, ({ params }) => ({ site: params.site, issueKey: params.key })),
  pageRoute('/s/$site/issues', IssueSearchPage, ({ params, search }) => ({ site: params.site, jql: search.jql ?? null }), issueSearch),
] as const;
