import { useQuery } from '@tanstack/react-query';
import { Link } from '../link';
import { get } from '../api';
import { PortalLayout } from '../shared/PortalLayout';
import { Loading, PageHeading, LoadFailed } from '../shared/ui';
import { portalApi, useLoginOn401 } from './portal-api';
import './portal.css';

/** The help center's home: the portals this customer may use (a visitor: the open ones, when the site allows it). */
export function PortalsPage({ site }: { site: string }) {
  return (
    <PortalLayout site={site} visitors>
      <Welcome site={site} />
      <PortalCards site={site} />
    </PortalLayout>
  );
}

function Welcome({ site }: { site: string }) {
  const name = useQuery<{ name: string }, Error>({ queryKey: ['site', site], queryFn: () => get(`/s/${encodeURIComponent(site)}/api/portal/site`) });
  if (name.isPending) return <Loading />;
  return <PageHeading title={`Welcome to the ${name.data?.name ?? site} help center`} description="Choose where you need help." />;
}

function PortalCards({ site }: { site: string }) {
  const q = useQuery({ queryKey: ['portal', site, 'portals'], queryFn: () => portalApi.portals(site) });
  useLoginOn401(site, q.error);
  if (q.isPending) return <Loading />;
  if (q.isError) return <LoadFailed error={q.error} />;
  if (q.data.values.length === 0) return <p className="ui-muted">There are no help centers you can use here yet.</p>;
  return (
    <ul className="portal-cards" aria-label="Portals">
      {q.data.values.map((p) => (
        <li key={p.id} className="portal-card">
          <h2>
            <Link to="/s/$site/servicedesk/customer/portal/$projectId" params={{ site, projectId: p.id }}>{p.name}</Link>
          </h2>
          {p.description && <p className="ui-muted">{p.description}</p>}
        </li>
      ))}
    </ul>
  );
}
