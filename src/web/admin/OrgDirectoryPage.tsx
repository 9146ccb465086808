import { SiteLinks } from './Landing';
import { OrgLayout } from './OrgLayout';
import { StaffGroups, StaffUsers } from './StaffDirectory';

/** Directory: the organization's staff users and groups (centralized), or where to find them (original). */
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
