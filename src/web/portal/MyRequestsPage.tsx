import { MyApprovals } from '../components/Approvals';
import { useQuery } from '@tanstack/react-query';
import { Tab, TabList, TabPanel, Tabs, type Key } from 'react-aria-components';
import { useNavigate } from '@tanstack/react-router';
import { Link } from '../link';
import { PortalLayout } from '../shared/PortalLayout';
import { Alert, Button, DataTable, DateTime, Loading, PageHeading } from '../shared/ui';
import { errorText } from '../shared/errors';
import { portalApi, useLoginOn401, type RequestSummary } from './portal-api';
import './portal.css';

type Filter = 'created' | 'shared' | 'all';

/** A tab's filter in the URL: none for all requests. */
const toFilter = (key: Key): 'created' | 'shared' | undefined => (key === 'created' || key === 'shared' ? key : undefined);
const FILTERS: Array<{ id: Filter; label: string }> = [
  { id: 'all', label: 'All requests' },
  { id: 'created', label: 'Created by me' },
  { id: 'shared', label: 'Shared with me' },
];

/** "My requests": the customer's requests, filtered by Created by me / Shared with me (the tab and the page are in the URL). */
export function MyRequestsPage({ site, filter, start }: { site: string; filter: Filter; start: number }) {
  const navigate = useNavigate();
  return (
    <PortalLayout site={site}>
      <PageHeading title="My requests" />
      <MyApprovals site={site} />
      <Tabs
        selectedKey={filter}
        onSelectionChange={(k) => void navigate({ to: '/s/$site/servicedesk/customer/user/requests', params: { site }, search: { filter: toFilter(k) } })}
        className="portal-tabs"
      >
        <TabList aria-label="Which requests" className="portal-tablist">
          {FILTERS.map((f) => (
            <Tab key={f.id} id={f.id} className="portal-tab">
              {f.label}
            </Tab>
          ))}
        </TabList>
        {/* each tab controls its panel (aria-controls): only the selected one is rendered */}
        {FILTERS.map((f) => (
          <TabPanel key={f.id} id={f.id} className="portal-tabpanel">
            <RequestsTable site={site} filter={f.id} start={start} />
          </TabPanel>
        ))}
      </Tabs>
    </PortalLayout>
  );
}

function RequestsTable({ site, filter, start }: { site: string; filter: Filter; start: number }) {
  const navigate = useNavigate();
  const q = useQuery({ queryKey: ['portal', site, 'requests', filter, start], queryFn: () => portalApi.myRequests(site, filter, start) });
  useLoginOn401(site, q.error);
  if (q.isPending) return <Loading />;
  if (q.isError) return <Alert>{errorText(q.error)}</Alert>;
  const page = q.data;
  const go = (s: number) =>
    void navigate({ to: '/s/$site/servicedesk/customer/user/requests', params: { site }, search: { filter: filter === 'all' ? undefined : filter, start: s } });
  return (
    <>
      <DataTable<RequestSummary>
        caption={FILTERS.find((f) => f.id === filter)!.label}
        rows={page.values}
        stackOnPhone
        rowKey={(r) => r.id}
        empty={filter === 'shared' ? 'Nobody has shared a request with you yet.' : 'You have no requests yet.'}
        columns={[
          { header: 'Reference', cell: (r) => <Link to="/s/$site/servicedesk/customer/portal/$projectId/$issueKey" params={{ site, projectId: r.portal.id, issueKey: r.key }}>{r.key}</Link> },
          { header: 'Summary', cell: (r) => <Link to="/s/$site/servicedesk/customer/portal/$projectId/$issueKey" params={{ site, projectId: r.portal.id, issueKey: r.key }}>{r.summary}</Link> },
          { header: 'Status', cell: (r) => <span className="portal-status">{r.status}</span> },
          { header: 'Reporter', cell: (r) => r.reporter.label },
          { header: 'Created', cell: (r) => <DateTime value={r.createdAt} /> },
        ]}
      />
      {(start > 0 || !page.isLastPage) && (
        <nav aria-label="Pages" className="portal-pager">
          <Button isDisabled={start === 0} onPress={() => go(Math.max(0, start - page.limit))}>Previous</Button>
          <span className="ui-muted">
            {page.total === 0 ? 0 : start + 1}–{start + page.values.length} of {page.total}
          </span>
          <Button isDisabled={page.isLastPage} onPress={() => go(start + page.limit)}>Next</Button>
        </nav>
      )}
    </>
  );
}
