import { useEffect, useState, type ReactNode } from 'react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Label, Radio, RadioGroup, Text } from 'react-aria-components';
import { useNavigate } from '@tanstack/react-router';
import { Link } from '../link';
import { adminStatusTexts, errorText } from '../shared/errors';
import { adminApi, keys, type AdminOrg, type UserManagement } from './admin-api';
import {
  AdminDialog,
  AdminFrame,
  DialogButtons,
  ErrorMessage,
  HeaderTabs,
  Loading,
  PrimaryButton,
  SecondaryButton,
  SideNav,
  WithSideNav,
} from './components';
import { SiteLinks, usePageTitle } from './Landing';
import { CustomerList } from './CustomerList';
import { AuditLog } from './AuditLog';
import { isNotPermitted, useAdminSession } from './session';

const enc = encodeURIComponent;
export const orgBase = (orgId: string) => `/admin/o/${enc(orgId)}`;
export const centralizedSiteBase = (orgId: string, slug: string) => `${orgBase(orgId)}/products/${enc(slug)}`;
export const originalSiteBase = (slug: string) => `/admin/s/${enc(slug)}`;

export function experienceName(m: UserManagement): string {
  return m === 'centralized' ? 'Centralized user management' : 'Original user management';
}

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
          ]}
        />
      </div>
      <main className="adm-main">
        {org.isPending && <Loading what="the organization" />}
        {org.isError && !siteAdminOnly && <ErrorMessage error={org.error} title="Could not open this organization" />}
        {org.data && children(org.data)}
      </main>
    </AdminFrame>
  );
}

export function OrgOverviewPage({ orgId }: { orgId: string }) {
  return (
    <OrgLayout orgId={orgId} title="Overview">
      {(org) => (
        <>
          <section aria-labelledby="sites-heading" className="adm-section">
            <h2 id="sites-heading">{org.userManagement === 'original' ? 'Sites you administer' : 'Sites'}</h2>
            {org.userManagement === 'original' ? (
              <>
                <p className="adm-muted">Select a site’s name and URL to open the admin for that site, where its users and portal customers are managed.</p>
                <SiteLinks sites={org.sites} />
              </>
            ) : (
              <>
                <p className="adm-muted">
                  Users and groups are managed under <Link to="/admin/o/$orgId/directory" params={{ orgId: org.id }}>
                    Directory
                  </Link>; portal customers
                  under <Link to="/admin/o/$orgId/products" params={{ orgId: org.id }}>
                    Products
                  </Link>{' '}
                  › Sites and products.
                </p>
                <SiteLinks sites={org.sites} hrefFor={(slug) => centralizedSiteBase(org.id, slug)} />
              </>
            )}
          </section>
          <OrgSettings org={org} />
        </>
      )}
    </OrgLayout>
  );
}

/** Organization settings: the user-management experience, switched only after a confirmation. */
function OrgSettings({ org }: { org: AdminOrg }) {
  const queryClient = useQueryClient();
  const [choice, setChoice] = useState<UserManagement>(org.userManagement);
  const [confirming, setConfirming] = useState(false);
  const [message, setMessage] = useState('');
  useEffect(() => setChoice(org.userManagement), [org.userManagement]);
  const save = useMutation({
    mutationFn: () => adminApi.updateSettings(org.id, choice),
    onSuccess: async (updated) => {
      queryClient.setQueryData(keys.org(org.id), updated);
      setConfirming(false);
      setMessage(`${org.name} now uses ${experienceName(updated.userManagement).toLowerCase()}.`);
      await Promise.all([
        queryClient.invalidateQueries({ queryKey: keys.org(org.id) }),
        queryClient.invalidateQueries({ queryKey: keys.session }),
        queryClient.invalidateQueries({ queryKey: ['admin', 'site'] }),
      ]);
    },
  });
  const target = experienceName(choice).toLowerCase();
  return (
    <section aria-labelledby="settings-heading" className="adm-section">
      <h2 id="settings-heading">Organization settings</h2>
      <RadioGroup value={choice} onChange={(v) => setChoice(v as UserManagement)} className="adm-radios">
        <Label className="adm-label">User management experience</Label>
        <Radio value="original" className="adm-radio">
          <span className="adm-radio-dot" aria-hidden="true" />
          <span>
            <strong>Original</strong>
            <span className="adm-muted adm-block">Each site’s admin manages its users, groups and portal customers.</span>
          </span>
        </Radio>
        <Radio value="centralized" className="adm-radio">
          <span className="adm-radio-dot" aria-hidden="true" />
          <span>
            <strong>Centralized</strong>
            <span className="adm-muted adm-block">
              Users and groups are managed under Directory; portal customers under Products › Sites and products.
            </span>
          </span>
        </Radio>
        <Text slot="description" className="adm-help">
          Switching changes where admins find users and portal customers. No account, access or reference changes.
        </Text>
      </RadioGroup>
      <div className="adm-row">
        <PrimaryButton isDisabled={choice === org.userManagement} onPress={() => setConfirming(true)}>
          Save settings
        </PrimaryButton>
      </div>
      <div role="status" aria-live="polite" className={message ? 'adm-alert adm-alert-success' : 'adm-status-empty'}>
        {message}
      </div>
      {confirming && (
        <AdminDialog
          isOpen
          alert
          title={`Switch to ${target}?`}
          onClose={() => {
            setConfirming(false);
            save.reset();
          }}
        >
          {choice === 'centralized' ? (
            <p>
              Users and groups will be listed under Directory, and portal customers will be found under Products › Sites and
              products › the site › Service Management › Portal customers.
            </p>
          ) : (
            <p>
              Directory will no longer list users and groups. Each site’s admin — opened from the site’s name and URL — will
              manage its Users, Groups and Service Management customers.
            </p>
          )}
          {save.isError && (
            <p className="adm-alert adm-alert-error" role="alert">
              {errorText(save.error, adminStatusTexts)}
            </p>
          )}
          <DialogButtons>
            <PrimaryButton onPress={() => save.mutate()} isDisabled={save.isPending}>
              Switch to {choice === 'centralized' ? 'centralized' : 'original'}
            </PrimaryButton>
            <SecondaryButton
              onPress={() => {
                setConfirming(false);
                save.reset();
              }}
              isDisabled={save.isPending}
              autoFocus
            >
              Cancel
            </SecondaryButton>
          </DialogButtons>
        </AdminDialog>
      )}
    </section>
  );
}

export function OrgDirectoryPage({ orgId }: { orgId: string }) {
  return (
    <OrgLayout orgId={orgId} title="Directory">
      {(org) =>
        org.userManagement === 'centralized' ? (
          <>
            <StaffUsers scope={{ orgId: org.id }} />
            <StaffGroups scope={{ orgId: org.id }} />
          </>
        ) : (
          <section aria-labelledby="directory-heading" className="adm-section">
            <h2 id="directory-heading">Directory</h2>
            <p>
              {org.name} uses the original user-management experience: users and groups are managed in each site’s admin, under
              Users and Groups, and portal customers under Service Management.
            </p>
            <SiteLinks sites={org.sites} />
          </section>
        )
      }
    </OrgLayout>
  );
}

/** Directory → Users of an organization (centralized) — or of one site (original: the site's Users). */
export function StaffUsers({ scope, heading = 'Users' }: { scope: { orgId: string } | { siteSlug: string }; heading?: string }) {
  const users = useQuery({
    queryKey: 'orgId' in scope ? keys.orgUsers(scope.orgId) : keys.siteUsers(scope.siteSlug),
    queryFn: () => ('orgId' in scope ? adminApi.orgUsers(scope.orgId) : adminApi.siteUsers(scope.siteSlug)),
  });
  const values = users.data?.values ?? [];
  return (
    <section aria-labelledby="users-heading" className="adm-section">
      <h2 id="users-heading">{heading}</h2>
      <p className="adm-muted">Staff accounts: admins and agents, with what each may do.</p>
      {users.isPending && <Loading what="users" />}
      {users.isError && <ErrorMessage error={users.error} title="Could not load the users" />}
      {users.data && (
        <table className="adm-table" aria-label={heading}>
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">Email</th>
              <th scope="col">Roles</th>
            </tr>
          </thead>
          <tbody>
            {values.length === 0 && (
              <tr>
                <td colSpan={3} className="adm-empty">
                  No users.
                </td>
              </tr>
            )}
            {values.map((u) => (
              <tr key={u.accountId}>
                <td>{u.displayName}</td>
                <td>{u.email}</td>
                <td>{u.roles.join(', ') || '—'}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}

/** Groups are derived from roles: org admins, each site's admins, each project's agents. */
export function StaffGroups({ scope, heading = 'Groups' }: { scope: { orgId: string } | { siteSlug: string }; heading?: string }) {
  const groups = useQuery({
    queryKey: 'orgId' in scope ? keys.orgGroups(scope.orgId) : keys.siteGroups(scope.siteSlug),
    queryFn: () => ('orgId' in scope ? adminApi.orgGroups(scope.orgId) : adminApi.siteGroups(scope.siteSlug)),
  });
  const values = groups.data?.values ?? [];
  return (
    <section aria-labelledby="groups-heading" className="adm-section">
      <h2 id="groups-heading">{heading}</h2>
      <p className="adm-muted">Groups follow the roles people hold, so they always match what members may do.</p>
      {groups.isPending && <Loading what="groups" />}
      {groups.isError && <ErrorMessage error={groups.error} title="Could not load the groups" />}
      {groups.data && (
        <table className="adm-table" aria-label={heading}>
          <thead>
            <tr>
              <th scope="col">Group</th>
              <th scope="col">Description</th>
              <th scope="col">Members</th>
            </tr>
          </thead>
          <tbody>
            {values.length === 0 && (
              <tr>
                <td colSpan={3} className="adm-empty">
                  No groups.
                </td>
              </tr>
            )}
            {values.map((g) => (
              <tr key={g.name}>
                <td>{g.name}</td>
                <td>{g.description}</td>
                <td>{g.memberCount}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}

export function OrgProductsPage({ orgId }: { orgId: string }) {
  return (
    <OrgLayout orgId={orgId} title="Products">
      {(org) => (
        <section aria-labelledby="products-heading" className="adm-section">
          <h2 id="products-heading">Sites and products</h2>
          <p className="adm-muted">Select the site that contains Service Management.</p>
          <table className="adm-table" aria-label="Sites and products">
            <thead>
              <tr>
                <th scope="col">Site</th>
                <th scope="col">URL</th>
                <th scope="col">Products</th>
              </tr>
            </thead>
            <tbody>
              {org.sites.map((s) => (
                <tr key={s.slug}>
                  <td>
                    <Link to={org.userManagement === 'centralized' ? centralizedSiteBase(org.id, s.slug) : originalSiteBase(s.slug)}>
                      {s.name}
                    </Link>
                  </td>
                  <td className="adm-muted">{s.url}</td>
                  <td>Service Management</td>
                </tr>
              ))}
            </tbody>
          </table>
        </section>
      )}
    </OrgLayout>
  );
}

/** Centralized: Products › the site, with the side navigation section Service Management › Portal customers. */
export function CentralizedSitePage({ orgId, slug, view }: { orgId: string; slug: string; view: 'overview' | 'portal-customers' }) {
  return (
    <OrgLayout orgId={orgId} title={view === 'portal-customers' ? 'Portal customers' : 'Site'}>
      {(org) => <CentralizedSite org={org} slug={slug} view={view} />}
    </OrgLayout>
  );
}

function CentralizedSite({ org, slug, view }: { org: AdminOrg; slug: string; view: 'overview' | 'portal-customers' }) {
  const site = useQuery({ queryKey: keys.site(slug), queryFn: () => adminApi.site(slug) });
  const original = org.userManagement === 'original';
  const navigate = useNavigate();
  useEffect(() => {
    // In the original experience the site's own admin is the place for its customers.
    if (original) void navigate({ to: view === 'portal-customers' ? '/admin/s/$site/service-management' : '/admin/s/$site', params: { site: slug }, replace: true });
  }, [original, slug, view, navigate]);
  if (site.isPending) return <Loading what="the site" />;
  if (site.isError) return <ErrorMessage error={site.error} title="Could not open this site" />;
  if (site.data.org.id !== org.id) return <ErrorMessage error={new Error('This site belongs to another organization.')} title="Not found" />;
  const base = centralizedSiteBase(org.id, slug);
  return (
    <WithSideNav
      nav={
        <SideNav
          label={`${site.data.name} navigation`}
          sections={[
            { heading: site.data.name, items: [{ to: base, label: 'Site overview' }] },
            { heading: 'Service Management', items: [{ to: `${base}/portal-customers`, label: 'Portal customers' }] },
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
      ) : (
        <CustomerList siteSlug={slug} siteName={site.data.name} canDelete={site.data.permissions.canDelete} />
      )}
    </WithSideNav>
  );
}

export function OrgAuditLogPage({ orgId }: { orgId: string }) {
  return <OrgLayout orgId={orgId} title="Audit log">{(org) => <AuditLog orgId={org.id} />}</OrgLayout>;
}
