import { useEffect, type ReactNode } from 'react';
import { useQuery } from '@tanstack/react-query';
import { useNavigate } from '@tanstack/react-router';
import { Link } from '../link';
import { ErrorMessage } from '../shared/ui';
import { adminApi, keys, type AdminOrg } from './admin-api';
import { AdminFrame, AdminFrameLoading, HeaderTabs } from './AdminLayout';
import { usePageTitle } from './Landing';
import { NOT_ADMINISTERED, experienceName, orgBase } from './paths';
import { isNotPermitted, useAdminSession } from './session';

/** An organization's console: its name, the header tabs Overview / Directory / Products / Audit log. */
export function OrgLayout({ orgId, title, children }: { orgId: string; title: string; children: (org: AdminOrg) => ReactNode }) {
  const session = useAdminSession();
  const org = useQuery({ queryKey: keys.org(orgId), queryFn: () => adminApi.org(orgId) });
  usePageTitle(org.data ? `${title} · ${org.data.name}` : title);
  const sessionOrg = session.data?.organizations.find((o) => o.id === orgId);
  // A site admin who follows a link to the org console is shown the sites they do administer.
  const siteAdminOnly = isNotPermitted(org.error) && sessionOrg && !sessionOrg.isOrgAdmin;
  const navigate = useNavigate();
  useEffect(() => {
    if (siteAdminOnly) void navigate({ to: '/admin/o/$orgId/sites', params: { orgId }, replace: true });
  }, [siteAdminOnly, orgId, navigate]);

  const base = orgBase(orgId);
  if (org.isPending || session.isPending) return <AdminFrameLoading label="Loading the organization…" />;
  return (
    <AdminFrame>
      <div className="adm-orgbar">
        {session.data && session.data.organizations.length > 1 && (
          <Link to="/admin" className="adm-crumb">
            All organizations
          </Link>
        )}
        <div className="adm-orgbar-title">
          <h1>{org.data?.name ?? 'Organization'}</h1>
          {org.data && <span className="adm-badge">{experienceName(org.data.userManagement)}</span>}
        </div>
        <HeaderTabs
          label="Organization"
          items={[
            { to: `${base}/overview`, label: 'Overview' },
            { to: `${base}/directory`, label: 'Directory', prefix: true },
            { to: `${base}/products`, label: 'Products', prefix: true },
            { to: `${base}/audit-log`, label: 'Audit log' },
            { to: `${base}/webhooks`, label: 'Webhooks' },
          ]}
        />
      </div>
      <div className="adm-main">
        {org.isError && !siteAdminOnly && <ErrorMessage error={org.error} title="Could not open this organization" byStatus={NOT_ADMINISTERED} />}
        {org.data && children(org.data)}
      </div>
    </AdminFrame>
  );
}
