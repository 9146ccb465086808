import { useEffect } from 'react';
import { useQuery } from '@tanstack/react-query';
import { useNavigate } from '@tanstack/react-router';
import { Link } from '../link';
import { ErrorMessage, Loading } from '../shared/ui';
import { adminApi, keys, type AdminOrg } from './admin-api';
import { SideNav, WithSideNav } from './AdminLayout';
import { CustomerList } from './CustomerList';
import { NotificationTemplateSettings } from './NotificationTemplate';
import { AccessNoticeSettings } from './AccessLifecycle';
import { SignupSettingsPanel } from './SignupSettings';
import { EmailRequestsSettings } from './EmailRequests';
import { SiteSecurity } from './SiteSecurity';
import { AccessReviews } from './AccessReviews';
import { SiteOrganizations } from '../organizations/SiteOrganizations';
import { OrgLayout } from './OrgLayout';
import { NOT_ADMINISTERED, centralizedSiteBase, orgBase, originalSiteBase } from './paths';

/** Centralized: Products › the site, with the side navigation section Service Management › Portal customers. */
type CentralizedSiteView = 'overview' | 'portal-customers' | 'notifications' | 'organizations' | 'signup' | 'email' | 'security' | 'access-reviews';
const TITLES: Record<CentralizedSiteView, string> = {
  overview: 'Site', 'portal-customers': 'Portal customers', notifications: 'Notification mail', email: 'Email requests',
  organizations: 'Customer organizations', signup: 'Customer sign-up', security: 'Security', 'access-reviews': 'Access reviews',
};

export function CentralizedSitePage({ orgId, slug, view, reviewId }: { orgId: string; slug: string; view: CentralizedSiteView; reviewId?: string }) {
  return (
    <OrgLayout orgId={orgId} title={TITLES[view]}>
      {(org) => <CentralizedSite org={org} slug={slug} view={view} reviewId={reviewId} />}
    </OrgLayout>
  );
}

function CentralizedSite({ org, slug, view, reviewId }: { org: AdminOrg; slug: string; view: CentralizedSiteView; reviewId?: string }) {
  const site = useQuery({ queryKey: keys.site(slug), queryFn: () => adminApi.site(slug) });
  const original = org.userManagement === 'original';
  const navigate = useNavigate();
  useEffect(() => {
    // In the original experience the site's own admin is the place for its customers.
    if (original && view === 'access-reviews') {
      void navigate({ to: `${originalSiteBase(slug)}/access-reviews${reviewId ? `/${encodeURIComponent(reviewId)}` : ''}`, replace: true });
    } else if (original) {
      const to = view === 'portal-customers' ? '/admin/s/$site/service-management' : view === 'notifications' ? '/admin/s/$site/notifications' : view === 'organizations' ? '/admin/s/$site/organizations' : view === 'signup' ? '/admin/s/$site/signup' : view === 'email' ? '/admin/s/$site/email' : view === 'security' ? '/admin/s/$site/security' : '/admin/s/$site';
      void navigate({ to, params: { site: slug }, replace: true });
    }
  }, [original, slug, view, reviewId, navigate]);
  if (site.isPending) return <Loading label="Loading the site…" />;
  if (site.isError) return <ErrorMessage error={site.error} title="Could not open this site" byStatus={NOT_ADMINISTERED} />;
  if (site.data.org.id !== org.id) return <ErrorMessage error={new Error('This site belongs to another organization.')} title="Not found" />;
  const base = centralizedSiteBase(org.id, slug);
  return (
    <WithSideNav
      nav={
        <SideNav
          label={`${site.data.name} navigation`}
          sections={[
            { heading: site.data.name, items: [{ to: base, label: 'Site overview' }, { to: `${base}/notifications`, label: 'Notification mail' }] },
            {
              heading: 'Service Management',
              items: [
                { to: `${base}/portal-customers`, label: 'Portal customers' },
                { to: `${base}/organizations`, label: 'Customer organizations' },
                { to: `${base}/signup`, label: 'Customer sign-up' },
                { to: `${base}/email`, label: 'Email requests' },
                { to: `${base}/security`, label: 'Security' },
                { to: `${base}/access-reviews`, label: 'Access reviews' },
              ],
            },
          ]}
        />
      }
    >
      <p className="adm-crumbs">
        <Link to="/admin/o/$orgId/products" params={{ orgId: org.id }}>
          Sites and products
        </Link>{' '}
        › {site.data.name}
      </p>
      {view === 'overview' ? (
        <section className="adm-section" aria-labelledby="site-heading">
          <h2 id="site-heading">{site.data.name}</h2>
          <p className="adm-muted">{site.data.url}</p>
          <p>
            Products: Service Management. Its portal-only customers are listed under{' '}
            <Link to="/admin/o/$orgId/products/$site/portal-customers" params={{ orgId: org.id, site: slug }}>
              Portal customers
            </Link>
            .
          </p>
        </section>
      ) : view === 'notifications' ? (
        <>
          <NotificationTemplateSettings siteSlug={slug} siteName={site.data.name} />
          <AccessNoticeSettings siteSlug={slug} />
        </>
      ) : view === 'signup' ? (
        <SignupSettingsPanel siteSlug={slug} siteName={site.data.name} />
      ) : view === 'access-reviews' ? (
        <AccessReviews siteSlug={slug} siteName={site.data.name} basePath={`${base}/access-reviews`} reviewId={reviewId} />
      ) : view === 'security' ? (
        <SiteSecurity siteSlug={slug} siteName={site.data.name} />
      ) : view === 'email' ? (
        <EmailRequestsSettings siteSlug={slug} siteName={site.data.name} />
      ) : view === 'organizations' ? (
        <SiteOrganizations site={slug} headingId="admin-organizations-heading" />
      ) : (
        <CustomerList siteSlug={slug} siteName={site.data.name} canDelete={site.data.permissions.canDelete} />
      )}
    </WithSideNav>
  );
}
