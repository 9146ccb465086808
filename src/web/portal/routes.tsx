import type { RouteDef } from '../router';
import { PortalsPage } from './PortalsPage';
import { PortalPage } from './PortalPage';
import { CreateRequestPage } from './CreateRequestPage';
import { MyRequestsPage } from './MyRequestsPage';
import { RequestPage } from './RequestPage';
import { ArticlePage } from './ArticlePage';
import { ForgotPasswordPage } from './ForgotPasswordPage';
import { ResetPasswordPage } from './ResetPasswordPage';

// The help center (PRODUCT.md §4). user/login is the "web" engineer's (shared/routes.tsx).
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
