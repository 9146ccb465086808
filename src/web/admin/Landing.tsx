import { useEffect } from 'react';
import { useNavigate } from '@tanstack/react-router';
import { Link } from '../link';
import type { SessionOrganization, SessionSite } from './admin-api';
import { ErrorMessage, Loading } from '../shared/ui';
import { AdminFrame } from './AdminLayout';
import { NOT_ADMINISTERED } from './paths';
import { useAdminSession } from './session';

export function usePageTitle(title: string) {
  useEffect(() => {
    document.title = `${title} · Portico Admin`;
  }, [title]);
}

/** Where an organization entry leads: its org console for org admins, its site list for site admins. */
export function orgHref(org: SessionOrganization): string {
  return org.isOrgAdmin ? `/admin/o/${encodeURIComponent(org.id)}/overview` : `/admin/o/${encodeURIComponent(org.id)}/sites`;
}

/** The sites someone administers, by name and URL — each opens that site's admin. */
export function SiteLinks({ sites, hrefFor }: { sites: Array<Pick<SessionSite, 'slug' | 'name' | 'url'>>; hrefFor?: (slug: string) => string }) {
  if (sites.length === 0) return <p className="adm-muted">No sites.</p>;
  return (
    <ul className="adm-cards" aria-label="Sites">
      {sites.map((s) => (
        <li key={s.slug}>
          <Link to={hrefFor ? hrefFor(s.slug) : `/admin/s/${encodeURIComponent(s.slug)}`} className="adm-card">
            <span className="adm-card-title">{s.name}</span>
            <span className="adm-card-sub">{s.url}</span>
          </Link>
        </li>
      ))}
    </ul>
  );
}

/**
 * `/admin`: one organization you administer → straight into it; several → "Select your
 * organization"; only site admin rights → the sites you administer, by name and URL.
 */
export function AdminLanding() {
  usePageTitle('Admin');
  const session = useAdminSession();
  const orgs = session.data?.organizations ?? [];
  const single = orgs.length === 1 && orgs[0].isOrgAdmin ? orgs[0] : null;
  const navigate = useNavigate();
  useEffect(() => {
    if (single) void navigate({ to: orgHref(single), replace: true });
  }, [single, navigate]);

  let content;
  if (session.isPending || single) content = <Loading label="Loading your organizations…" />;
  else if (session.isError) content = <ErrorMessage error={session.error} byStatus={NOT_ADMINISTERED} />;
  else if (orgs.length === 0)
    content = (
      <>
        <h1>Admin</h1>
        <p>You don’t administer any organization or site.</p>
        {session.data.agentProjects.length > 0 && (
          <p>
            <Link to="/projects">Go to your projects</Link>
          </p>
        )}
      </>
    );
  else if (orgs.length === 1)
    content = (
      <>
        <h1>Your sites</h1>
        <p className="adm-muted">
          Sites of {orgs[0].name} that you administer. Select a site’s name and URL to open its admin.
        </p>
        <SiteLinks sites={orgs[0].sites} />
      </>
    );
  else
    content = (
      <>
        <h1>Select your organization</h1>
        <ul className="adm-cards" aria-label="Organizations">
          {orgs.map((o) => (
            <li key={o.id}>
              <Link to={orgHref(o)} className="adm-card">
                <span className="adm-card-title">{o.name}</span>
                <span className="adm-card-sub">
                  {o.isOrgAdmin ? 'Organization admin' : `Site admin of ${o.sites.map((s) => s.name).join(', ')}`}
                </span>
              </Link>
            </li>
          ))}
        </ul>
      </>
    );
  return (
    <AdminFrame>
      <div className="adm-main adm-narrow">{content}</div>
    </AdminFrame>
  );
}

/** `/admin/o/:orgId/sites`: the sites of one organization that you administer (from your session). */
export function OrgSitesPage({ orgId }: { orgId: string }) {
  const session = useAdminSession();
  const org = session.data?.organizations.find((o) => o.id === orgId);
  usePageTitle(org ? `${org.name} sites` : 'Sites');
  return (
    <AdminFrame>
      <div className="adm-main adm-narrow">
        {session.isPending && <Loading label="Loading your sites…" />}
        {session.isError && <ErrorMessage error={session.error} byStatus={NOT_ADMINISTERED} />}
        {session.data && !org && <ErrorMessage error={new Error('You do not administer this organization or any of its sites.')} title="Not found" />}
        {org && (
          <>
            {(session.data?.organizations.length ?? 0) > 1 && (
              <p>
                <Link to="/admin">All organizations</Link>
              </p>
            )}
            <h1>Your sites</h1>
            <p className="adm-muted">Sites of {org.name} that you administer. Select a site’s name and URL to open its admin.</p>
            <SiteLinks sites={org.sites} />
          </>
        )}
      </div>
    </AdminFrame>
  );
}
