import type { RouteDef } from '../router';
import { lazySurface } from '../lazy-page';

// The admin console is downloaded only when one of its pages is visited (lazy-page.tsx).
const page = lazySurface(() =>
  Promise.all([import('./Landing'), import('./OrgPages'), import('./SiteAdmin')]).then(([landing, org, site]) => ({ ...landing, ...org, ...site })),
);
const AdminLanding = page('AdminLanding');
const OrgSitesPage = page('OrgSitesPage');
const CentralizedSitePage = page('CentralizedSitePage');
const OrgAuditLogPage = page('OrgAuditLogPage');
const OrgDirectoryPage = page('OrgDirectoryPage');
const OrgOverviewPage = page('OrgOverviewPage');
const OrgProductsPage = page('OrgProductsPage');
const SiteAdminPage = page('SiteAdminPage');

export const adminRoutes: RouteDef[] = [
  { path: '/admin', render: () => <AdminLanding /> },
  { path: '/admin/o/:orgId', render: (p) => <OrgOverviewPage key={p.orgId} orgId={p.orgId} /> },
  { path: '/admin/o/:orgId/overview', render: (p) => <OrgOverviewPage key={p.orgId} orgId={p.orgId} /> },
  { path: '/admin/o/:orgId/sites', render: (p) => <OrgSitesPage key={p.orgId} orgId={p.orgId} /> },
  { path: '/admin/o/:orgId/directory', render: (p) => <OrgDirectoryPage key={p.orgId} orgId={p.orgId} /> },
  { path: '/admin/o/:orgId/products', render: (p) => <OrgProductsPage key={p.orgId} orgId={p.orgId} /> },
  {
    path: '/admin/o/:orgId/products/:site',
    render: (p) => <CentralizedSitePage key={`${p.orgId}/${p.site}`} orgId={p.orgId} slug={p.site} view="overview" />,
  },
  {
    path: '/admin/o/:orgId/products/:site/portal-customers',
    render: (p) => <CentralizedSitePage key={`${p.orgId}/${p.site}`} orgId={p.orgId} slug={p.site} view="portal-customers" />,
  },
  { path: '/admin/o/:orgId/audit-log', render: (p) => <OrgAuditLogPage key={p.orgId} orgId={p.orgId} /> },
  { path: '/admin/s/:site', render: (p) => <SiteAdminPage key={p.site} slug={p.site} view="overview" /> },
  { path: '/admin/s/:site/users', render: (p) => <SiteAdminPage key={p.site} slug={p.site} view="users" /> },
  { path: '/admin/s/:site/groups', render: (p) => <SiteAdminPage key={p.site} slug={p.site} view="groups" /> },
  {
    path: '/admin/s/:site/service-management',
    render: (p) => <SiteAdminPage key={p.site} slug={p.site} view="service-management" />,
  },
];
