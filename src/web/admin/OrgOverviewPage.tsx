import { Link } from '../link';
import { SiteLinks } from './Landing';
import { OrgLayout } from './OrgLayout';
import { OrgSettings } from './OrgSettings';
import { centralizedSiteBase, orgBase } from './paths';

/** Overview: the organization's sites (where each leads depends on the experience), then its settings. */
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
          <section aria-labelledby="mail-heading" className="adm-section">
            <h2 id="mail-heading">Outgoing mail</h2>
            <p className="adm-muted">
              Password resets, invitations and notifications of this organization’s sites. Without a mail server they are kept in
              the <Link to="/admin/o/$orgId/outbox" params={{ orgId: org.id }}>Outbox</Link>, where you can read them.
            </p>
          </section>
          <OrgSettings org={org} />
        </>
      )}
    </OrgLayout>
  );
}
