import { useEffect } from 'react';
import { useQuery } from '@tanstack/react-query';
import { useNavigate } from '@tanstack/react-router';
import { Link } from '../link';
import { adminApi, keys, type AdminSite } from './admin-api';
import { ErrorMessage } from '../shared/ui';
import { AdminFrame, AdminFrameLoading, SideNav, WithSideNav } from './AdminLayout';
import { CustomerList } from './CustomerList';
import { NotificationTemplateSettings } from './NotificationTemplate';
import { AccessNoticeSettings } from './AccessLifecycle';
import { SignupSettingsPanel } from './SignupSettings';
import { EmailRequestsSettings } from './EmailRequests';
import { SiteSecurity } from './SiteSecurity';
import { AccessReviews } from './AccessReviews';
import { SiteOrganizations } from '../organizations/SiteOrganizations';
import { usePageTitle } from './Landing';
import { NOT_ADMINISTERED, centralizedSiteBase, orgBase, originalSiteBase } from './paths';
import { StaffGroups, StaffUsers } from './StaffDirectory';
import { useAdminSession } from './session';

export type SiteView = 'overview' | 'users' | 'groups' | 'service-management' | 'notifications' | 'organizations' | 'signup' | 'email' | 'security' | 'access-reviews';

const TITLES: Record<SiteView, string> = {
  overview: 'Site admin',
  users: 'Users',
  groups: 'Groups',
  'service-management': 'Service Management',
  notifications: 'Notification mail',
  organizations: 'Customer organizations',
  signup: 'Customer sign-up',
  email: 'Email requests',
  security: 'Security',
  'access-reviews': 'Access reviews',
};

/**
 * Original user management: a site's own admin, opened from the site's name and URL. Its side
 * navigation has Users, Groups and Service Management (the portal customers).
 */
export function SiteAdminPage({ slug, view, reviewId }: { slug: string; view: SiteView; reviewId?: string }) {
  const session = useAdminSession();
  const site = useQuery({ queryKey: keys.site(slug), queryFn: () => adminApi.site(slug) });
  const sessionOrg = site.data ? session.data?.organizations.find((o) => o.id === site.data.org.id) : undefined;
  const isOrgAdmin = sessionOrg?.isOrgAdmin ?? false;
  usePageTitle(site.data ? `${TITLES[view]} · ${site.data.name}` : TITLES[view]);

  // An org admin of a centralized organization manages this site under Products instead.
  const centralizedForOrgAdmin = site.data?.org.userManagement === 'centralized' && isOrgAdmin;
  const navigate = useNavigate();
  useEffect(() => {
    // only on the site as the server says it is now: a cached answer may predate a switch of experience
    if (!centralizedForOrgAdmin || !site.data || site.isFetching) return;
    const orgId = site.data.org.id;
    if (view === 'signup') void navigate({ to: '/admin/o/$orgId/products/$site/signup', params: { orgId, site: slug }, replace: true });
    else if (view === 'organizations') void navigate({ to: '/admin/o/$orgId/products/$site/organizations', params: { orgId, site: slug }, replace: true });
    else if (view === 'service-management') void navigate({ to: '/admin/o/$orgId/products/$site/portal-customers', params: { orgId, site: slug }, replace: true });
    else if (view === 'notifications') void navigate({ to: '/admin/o/$orgId/products/$site/notifications', params: { orgId, site: slug }, replace: true });
    else if (view === 'email') void navigate({ to: '/admin/o/$orgId/products/$site/email', params: { orgId, site: slug }, replace: true });
    else if (view === 'security') void navigate({ to: '/admin/o/$orgId/products/$site/security', params: { orgId, site: slug }, replace: true });
    else if (view === 'access-reviews') void navigate({ to: `${centralizedSiteBase(orgId, slug)}/access-reviews${reviewId ? `/${encodeURIComponent(reviewId)}` : ''}`, replace: true });
    else if (view === 'users' || view === 'groups') void navigate({ to: '/admin/o/$orgId/directory', params: { orgId }, replace: true });
    else void navigate({ to: '/admin/o/$orgId/products/$site', params: { orgId, site: slug }, replace: true });
  }, [centralizedForOrgAdmin, site.data, site.isFetching, slug, view, reviewId, navigate]);

  const base = originalSiteBase(slug);
  const backTo = isOrgAdmin && site.data ? `${orgBase(site.data.org.id)}/overview` : '/admin';
  if (site.isPending || session.isPending) return <AdminFrameLoading label="Loading the site…" />;
  return (
    <AdminFrame>
      <div className="adm-orgbar">
        <Link to={backTo} className="adm-crumb">
          {isOrgAdmin && site.data ? site.data.org.name : 'Your sites'}
        </Link>
        <div className="adm-orgbar-title">
          <h1>{site.data?.name ?? 'Site admin'}</h1>
          {site.data && <span className="adm-muted">{site.data.url}</span>}
        </div>
      </div>
      <div className="adm-main">
        {site.isError && <ErrorMessage error={site.error} title="Could not open this site" byStatus={NOT_ADMINISTERED} />}
        {site.data && !centralizedForOrgAdmin && (
          <WithSideNav
            nav={
              <SideNav
                label={`${site.data.name} admin`}
                sections={[
                  {
                    items: [
                      { to: `${base}/users`, label: 'Users' },
                      { to: `${base}/groups`, label: 'Groups' },
                      { to: `${base}/service-management`, label: 'Service Management' },
                      { to: `${base}/notifications`, label: 'Notification mail' },
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
            <SiteView site={site.data} view={view} reviewId={reviewId} />
          </WithSideNav>
        )}
      </div>
    </AdminFrame>
  );
}

function SiteView({ site, view, reviewId }: { site: AdminSite; view: SiteView; reviewId?: string }) {
  switch (view) {
    case 'overview':
      return (
        <section className="adm-section" aria-labelledby="site-overview-heading">
          <h2 id="site-overview-heading">Site admin</h2>
          <p>
            {site.name} ({site.url}) belongs to {site.org.name}. Its product is Service Management.
          </p>
          <ul className="adm-links">
            <li>
              <Link to="/admin/s/$site/users" params={{ site: site.slug }}>
                Users
              </Link> — the staff who work on this site.
            </li>
            <li>
              <Link to="/admin/s/$site/groups" params={{ site: site.slug }}>
                Groups
              </Link> — admins and agents of this site, as groups.
            </li>
            <li>
              <Link to="/admin/s/$site/service-management" params={{ site: site.slug }}>
                Service Management
              </Link> — the portal-only customers: revoke or grant
              access, change passwords and names{site.permissions.canDelete ? ', delete accounts' : ''}.
            </li>
            <li>
              <Link to="/admin/s/$site/notifications" params={{ site: site.slug }}>
                Notification mail
              </Link> — the template of the mail a request's people get, with a preview.
            </li>
          </ul>
        </section>
      );
    case 'users':
      return <StaffUsers scope={{ siteSlug: site.slug }} />;
    case 'groups':
      return <StaffGroups scope={{ siteSlug: site.slug }} />;
    case 'service-management':
      return <CustomerList siteSlug={site.slug} siteName={site.name} canDelete={site.permissions.canDelete} />;
    case 'notifications':
      return (
        <>
          <NotificationTemplateSettings siteSlug={site.slug} siteName={site.name} />
          <AccessNoticeSettings siteSlug={site.slug} />
        </>
      );
    case 'signup':
      return <SignupSettingsPanel siteSlug={site.slug} siteName={site.name} />;
    case 'organizations':
      return <SiteOrganizations site={site.slug} headingId="admin-organizations-heading" />;
    case 'email':
      return <EmailRequestsSettings siteSlug={site.slug} siteName={site.name} />;
    case 'security':
      return <SiteSecurity siteSlug={site.slug} siteName={site.name} />;
    case 'access-reviews':
      return <AccessReviews siteSlug={site.slug} siteName={site.name} basePath={`${originalSiteBase(site.slug)}/access-reviews`} reviewId={reviewId} />;
  }
}
