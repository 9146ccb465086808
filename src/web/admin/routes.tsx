import { lazySurface, pageRoute } from '../lazy-page';

// The admin console, downloaded only when one of its pages is visited (lazy-page.tsx).
const page = lazySurface(() => import('./admin-pages'));
const AdminLanding = page('AdminLanding');
const OrgSitesPage = page('OrgSitesPage');
const CentralizedSitePage = page('CentralizedSitePage');
const OrgAuditLogPage = page('OrgAuditLogPage');
const OrgOutboxPage = page('OrgOutboxPage');
const OrgWebhooksPage = page('OrgWebhooksPage');
const OrgDirectoryPage = page('OrgDirectoryPage');
const OrgOverviewPage = page('OrgOverviewPage');
const OrgProductsPage = page('OrgProductsPage');
const SiteAdminPage = page('SiteAdminPage');

export const adminRoutes = [
  pageRoute('/admin', AdminLanding, () => ({})),
  pageRoute('/admin/o/$orgId', OrgOverviewPage, ({ params }) => ({ orgId: params.orgId })),
  pageRoute('/admin/o/$orgId/overview', OrgOverviewPage, ({ params }) => ({ orgId: params.orgId })),
  pageRoute('/admin/o/$orgId/sites', OrgSitesPage, ({ params }) => ({ orgId: params.orgId })),
  pageRoute('/admin/o/$orgId/directory', OrgDirectoryPage, ({ params }) => ({ orgId: params.orgId })),
  pageRoute('/admin/o/$orgId/products', OrgProductsPage, ({ params }) => ({ orgId: params.orgId })),
  pageRoute('/admin/o/$orgId/products/$site', CentralizedSitePage, ({ params }) => ({ orgId: params.orgId, slug: params.site, view: 'overview' as const })),
  pageRoute('/admin/o/$orgId/products/$site/portal-customers', CentralizedSitePage, ({ params }) => ({
    orgId: params.orgId,
    slug: params.site,
    view: 'portal-customers' as const,
  })),
  pageRoute('/admin/o/$orgId/products/$site/notifications', CentralizedSitePage, ({ params }) => ({
    orgId: params.orgId,
    slug: params.site,
    view: 'notifications' as const,
  })),
  pageRoute('/admin/o/$orgId/products/$site/signup', CentralizedSitePage, ({ params }) => ({
    orgId: params.orgId,
    slug: params.site,
    view: 'signup' as const,
  })),
  pageRoute('/admin/o/$orgId/products/$site/organizations', CentralizedSitePage, ({ params }) => ({
    orgId: params.orgId,
    slug: params.site,
    view: 'organizations' as const,
  })),
  pageRoute('/admin/o/$orgId/products/$site/email', CentralizedSitePage, ({ params }) => ({
    orgId: params.orgId,
    slug: params.site,
    view: 'email' as const,
  })),
  pageRoute('/admin/o/$orgId/products/$site/security', CentralizedSitePage, ({ params }) => ({
    orgId: params.orgId,
    slug: params.site,
    view: 'security' as const,
  })),
  pageRoute('/admin/o/$orgId/products/$site/access-reviews', CentralizedSitePage, ({ params }) => ({
    orgId: params.orgId,
    slug: params.site,
    view: 'access-reviews' as const,
  })),
  pageRoute('/admin/o/$orgId/products/$site/access-reviews/$reviewId', CentralizedSitePage, ({ params }) => ({
    orgId: params.orgId,
    slug: params.site,
    view: 'access-reviews' as const,
    reviewId: params.reviewId,
  })),
  pageRoute('/admin/o/$orgId/audit-log', OrgAuditLogPage, ({ params }) => ({ orgId: params.orgId })),
  pageRoute('/admin/o/$orgId/outbox', OrgOutboxPage, ({ params }) => ({ orgId: params.orgId })),
  pageRoute('/admin/o/$orgId/webhooks', OrgWebhooksPage, ({ params }) => ({ orgId: params.orgId })),
  pageRoute('/admin/s/$site', SiteAdminPage, ({ params }) => ({ slug: params.site, view: 'overview' as const })),
  pageRoute('/admin/s/$site/users', SiteAdminPage, ({ params }) => ({ slug: params.site, view: 'users' as const })),
  pageRoute('/admin/s/$site/groups', SiteAdminPage, ({ params }) => ({ slug: params.site, view: 'groups' as const })),
  pageRoute('/admin/s/$site/service-management', SiteAdminPage, ({ params }) => ({ slug: params.site, view: 'service-management' as const })),
  pageRoute('/admin/s/$site/notifications', SiteAdminPage, ({ params }) => ({ slug: params.site, view: 'notifications' as const })),
  pageRoute('/admin/s/$site/signup', SiteAdminPage, ({ params }) => ({ slug: params.site, view: 'signup' as const })),
  pageRoute('/admin/s/$site/organizations', SiteAdminPage, ({ params }) => ({ slug: params.site, view: 'organizations' as const })),
  pageRoute('/admin/s/$site/email', SiteAdminPage, ({ params }) => ({ slug: params.site, view: 'email' as const })),
  pageRoute('/admin/s/$site/security', SiteAdminPage, ({ params }) => ({ slug: params.site, view: 'security' as const })),
  pageRoute('/admin/s/$site/access-reviews', SiteAdminPage, ({ params }) => ({ slug: params.site, view: 'access-reviews' as const })),
  pageRoute('/admin/s/$site/access-reviews/$reviewId', SiteAdminPage, ({ params }) => ({ slug: params.site, view: 'access-reviews' as const, reviewId: params.reviewId })),
] as const;
