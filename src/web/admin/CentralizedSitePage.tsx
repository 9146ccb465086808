import { useEffect } from 'react';
import { useQuery } from '@tanstack/react-query';
import { useNavigate } from '@tanstack/react-router';
import { Link } from '../link';
import { ErrorMessage, Loading } from '../shared/ui';
import { adminApi, keys, type AdminOrg } from './admin-api';
import { SideNav, WithSideNav } from './AdminLayout';
import { CustomerList } from './CustomerList';
import { NotificationTemplateSettings } from './NotificationTemplate';
import { SignupSettingsPanel } from './SignupSettings';
import { EmailRequestsSettings } from './EmailRequests';
import { SiteSecurity } from './SecurityPage';
import { SiteOrganizations } from '../organizations/SiteOrganizations';
import { OrgLayout } from './OrgLayout';
import { NOT_ADMINISTERED, centralizedSiteBase, orgBase, originalSiteBase } from './paths';

/** Centralized: Products › the site, with the side navigation section Service Management › Portal customers. */
type CentralizedSiteView = 'overview' | 'portal-customers' | 'notifications' | 'organizations' | 'signup' | 'email' | 'security';
const TITLES: Record<CentralizedSiteView, string> = {
  overview: 'Site', 'portal-customers': 'Portal customers', notifications: 'Notification mail', email: 'Email requests', security: 'Security',
  organizations: 'Customer organizations', signup: 'Customer sign-up',
};

export function CentralizedSitePage({ orgId, slug, view }: { orgId: string; slug: string; view: CentralizedSiteView }) {
  return (
    <OrgLayout orgId={orgId} title={TITLES[view]}>
      {(org) => <CentralizedSite org={org} slug={slug} view={view} />}
    </OrgLayout>
  );
}

function CentralizedSite({ org, slug, view }: { org: AdminOrg; slug: string; view: CentralizedSiteView }) {
  const site = useQuery({ queryKey: keys.site(slug), queryFn: () => adminApi.site(slug) });
  const original = org.userManagement === 'original';
  const navigate = useNavigate();
  useEffect(() => {
    // In the original experience the site's own admin is the place for its customers.
    if (original) {
      const to = view === 'portal-customers' ? '/admin/s/$site/service-management' : view === 'notifications' ? '/admin/s/$site/notifications' : view === 'organizations' ? '/admin/s/$site/organizations' : view === 'signup' ? '/admin/s/$site/signup' : view === 'email' ? '/admin/s/$site/email' : view === 'security' ? '/admin/s/$site/security' : '/admin/s/$site';
      void navigate({ to, params: { site: slug }, replace: true });
    }
  }, [original, slug, view, navigate]);
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
        <NotificationTemplateSettings siteSlug={slug} siteName={site.data.name} />
      ) : view === 'signup' ? (
        <SignupSettingsPanel siteSlug={slug} siteName={site.data.name} />
      ) : view === 'email' ? (
        <EmailRequestsSettings siteSlug={slug} siteName={site.data.name} />
      ) : view === 'security' ? (
        <SiteSecurity siteSlug={slug} />
      ) : view === 'organizations' ? (
        <SiteOrganizations site={slug} headingId="admin-organizations-heading" />
      ) : (
        <CustomerList siteSlug={slug} siteName={site.data.name} canDelete={site.data.permissions.canDelete} />
      )}
    </WithSideNav>
  );
}
