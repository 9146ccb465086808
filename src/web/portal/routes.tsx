import type { RouteDef } from '../router';
import { lazySurface } from '../lazy-page';

// The help center is downloaded only when one of its pages is visited (lazy-page.tsx).
const page = lazySurface(() =>
  Promise.all([
    import('./PortalsPage'),
    import('./PortalPage'),
    import('./CreateRequestPage'),
    import('./MyRequestsPage'),
    import('./RequestPage'),
    import('./ArticlePage'),
    import('./ForgotPasswordPage'),
    import('./ResetPasswordPage'),
  ]).then(([portals, portal, create, mine, request, article, forgot, reset]) => ({
    ...portals,
    ...portal,
    ...create,
    ...mine,
    ...request,
    ...article,
    ...forgot,
    ...reset,
  })),
);
const PortalsPage = page('PortalsPage');
const PortalPage = page('PortalPage');
const CreateRequestPage = page('CreateRequestPage');
const MyRequestsPage = page('MyRequestsPage');
const RequestPage = page('RequestPage');
const ArticlePage = page('ArticlePage');
const ForgotPasswordPage = page('ForgotPasswordPage');
const ResetPasswordPage = page('ResetPasswordPage');

// The help center (docs/product.md#help-center). user/login is the "web" engineer's (shared/routes.tsx).
const base = '/s/:site/servicedesk/customer';

export const portalRoutes: RouteDef[] = [
  { path: `${base}/portals`, render: ({ site }) => <PortalsPage key={site} site={site} /> },
  { path: `${base}/user/forgot-password`, render: ({ site }) => <ForgotPasswordPage key={site} site={site} /> },
  { path: `${base}/user/reset-password`, render: ({ site }) => <ResetPasswordPage key={site} site={site} /> },
  { path: `${base}/user/requests`, render: ({ site }) => <MyRequestsPage key={site} site={site} /> },
  { path: `${base}/article/:id`, render: ({ site, id }) => <ArticlePage key={`${site}/${id}`} site={site} id={id} /> },
  { path: `${base}/portal/:projectId`, render: ({ site, projectId }) => <PortalPage key={`${site}/${projectId}`} site={site} projectId={projectId} /> },
  {
    path: `${base}/portal/:projectId/create/:requestTypeId`,
    render: ({ site, projectId, requestTypeId }) => (
      <CreateRequestPage key={`${site}/${projectId}/${requestTypeId}`} site={site} projectId={projectId} requestTypeId={requestTypeId} />
    ),
  },
  {
    path: `${base}/portal/:projectId/:issueKey`,
    render: ({ site, projectId, issueKey }) => <RequestPage key={`${site}/${issueKey}`} site={site} projectId={projectId} issueKey={issueKey} />,
  },
];
