import { Link } from '../link';
import { DataTable } from '../shared/ui';
import { OrgLayout } from './OrgLayout';
import { centralizedSiteBase, originalSiteBase } from './paths';

/** Products › Sites and products: each site leads to where its portal customers are managed. */
export function OrgProductsPage({ orgId }: { orgId: string }) {
  return (
    <OrgLayout orgId={orgId} title="Products">
      {(org) => (
        <section aria-labelledby="products-heading" className="adm-section">
          <h2 id="products-heading">Sites and products</h2>
          <p className="adm-muted">Select the site that contains Service Management.</p>
          <DataTable
            caption="Sites and products"
            rows={org.sites}
            rowKey={(s) => s.slug}
            empty="No sites."
            columns={[
              {
                header: 'Site',
                cell: (s) => (
                  <Link to={org.userManagement === 'centralized' ? centralizedSiteBase(org.id, s.slug) : originalSiteBase(s.slug)}>{s.name}</Link>
                ),
              },
              { header: 'URL', cell: (s) => <span className="adm-muted">{s.url}</span> },
              { header: 'Products', cell: () => 'Service Management' },
            ]}
          />
        </section>
      )}
    </OrgLayout>
  );
}
