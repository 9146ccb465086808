import { useState } from 'react';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { Link } from '../link';
import { Button, DataTable, DateTime, Loading, PageHeading, LoadFailed } from '../shared/ui';
import { AgentLayout } from './AgentLayout';
import { agentApi, agentKeys, type QueueRow } from './agent-api';
import { PersonLabel, StatusLozenge, accessText } from './common';
import { SlaBadge } from './Sla';

/** `/s/:site/jira/servicedesk/projects/:key/queues`: the project's open requests, newest first. */
export function QueuePage({ site, projectKey }: { site: string; projectKey: string }) {
  return (
    <AgentLayout site={site} projectKey={projectKey}>
      {() => <Queue site={site} projectKey={projectKey} />}
    </AgentLayout>
  );
}

function Queue({ site, projectKey }: { site: string; projectKey: string }) {
  const [start, setStart] = useState(0);
  const q = useQuery({ queryKey: agentKeys.queue(site, projectKey, start), queryFn: () => agentApi.queue(site, projectKey, start), placeholderData: keepPreviousData, refetchInterval: 60_000 });
  if (q.isError) return <LoadFailed error={q.error} message={accessText(q.error, `Project ${projectKey}`)} />;
  if (!q.data) return <Loading />;
  const page = q.data;
  return (
    <>
      <PageHeading
        title="Open requests"
        description={`${page.project.name} (${page.project.key}) — requests not yet resolved (Open, Waiting for support, Waiting for customer, In progress), newest first.`}
        actions={
          <Link to="/s/$site/jira/servicedesk/projects/$key/raise" params={{ site, key: page.project.key }} className="ui-button ui-button-primary">
            Raise a request
          </Link>
        }
      />
      <DataTable
        stackOnPhone
        caption={`Open requests of ${page.project.name}`}
        columns={[
          { header: 'Key', cell: (r: QueueRow) => (
              <Link to="/s/$site/browse/$key" params={{ site, key: r.key }}>
                {r.key}
              </Link>
            ) },
          { header: 'Summary', cell: (r) => (
              <Link to="/s/$site/browse/$key" params={{ site, key: r.key }}>
                {r.summary}
              </Link>
            ) },
          { header: 'Reporter', cell: (r) => <PersonLabel person={r.reporter} /> },
          { header: 'Status', cell: (r) => <StatusLozenge status={r.status} /> },
          { header: 'SLA', cell: (r) => <SlaBadge slas={r.slas} /> },
          { header: 'Created', cell: (r) => <DateTime value={r.created} /> },
        ]}
        rows={page.values}
        rowKey={(r) => r.id}
        empty="No open requests. Nice work."
      />
      {(page.start > 0 || !page.isLastPage) && (
        <div className="agent-pager">
          <Button isDisabled={page.start === 0} onPress={() => setStart(Math.max(0, page.start - page.limit))}>
            Previous
          </Button>
          <span className="ui-muted">
            {page.start + 1}–{page.start + page.values.length} of {page.total}
          </span>
          <Button isDisabled={page.isLastPage} onPress={() => setStart(page.start + page.limit)}>
            Next
          </Button>
        </div>
      )}
    </>
  );
}
