import { useState, type FormEvent } from 'react';
import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useNavigate } from '@tanstack/react-router';
import { Link } from '../link';
import { Alert, Button, DataTable, DateTime, Loading, PageHeading, TextField, type Column, LoadFailed } from '../shared/ui';
import { errorText } from '../shared/errors';
import { ApiError } from '../api';
import { AgentLayout } from './AgentLayout';
import { agentApi, agentKeys, type QueueIssueRow } from './agent-api';
import { PersonLabel, StatusLozenge, accessText } from './common';
import { RowAssignToMe, RowPriority } from './Assignment';
import { useStaffSession } from '../shared/useSession';
import { SlaBadge } from './Sla';

// Queues (docs/product.md#queues): the project's saved JQLs with their counts in the side
// navigation, and one queue's requests with its columns, where the agent assigns and prioritises.

/** `/s/:site/jira/servicedesk/projects/:key/queues/custom/:queueId`: one queue's requests. */
export function QueueViewPage({ site, projectKey, queueId }: { site: string; projectKey: string; queueId: string }) {
  return (
    <AgentLayout site={site} projectKey={projectKey}>
      {() => <QueueView site={site} projectKey={projectKey} queueId={queueId} />}
    </AgentLayout>
  );
}

function QueueView({ site, projectKey, queueId }: { site: string; projectKey: string; queueId: string }) {
  const [start, setStart] = useState(0);
  const session = useStaffSession();
  const me = session.data?.account.accountId;
  const q = useQuery({
    queryKey: agentKeys.queueIssues(site, projectKey, queueId, start),
    queryFn: () => agentApi.queueIssues(site, projectKey, queueId, start),
    placeholderData: keepPreviousData,
    // the SLA timers move: read again each minute, as the open-requests queue does
    refetchInterval: 60_000,
  });
  if (q.isError) return <LoadFailed error={q.error} message={accessText(q.error, 'This queue')} />;
  if (!q.data) return <Loading />;
  const page = q.data;
  const columns: Record<string, Column<QueueIssueRow>> = {
    issuekey: { header: 'Key', cell: (r) => <Link to="/s/$site/browse/$key" params={{ site, key: r.key }}>{r.key}</Link> },
    summary: { header: 'Summary', cell: (r) => <Link to="/s/$site/browse/$key" params={{ site, key: r.key }}>{r.summary}</Link> },
    issuetype: { header: 'Type', cell: () => 'Service request' },
    reporter: { header: 'Reporter', cell: (r) => <PersonLabel person={r.reporter} /> },
    assignee: {
      header: 'Assignee',
      cell: (r) => (
        <span className="agent-row-assignee">
          {r.assignee ? <PersonLabel person={r.assignee} /> : <span className="ui-muted">Unassigned</span>}
          {r.assignee?.accountId !== me && <RowAssignToMe site={site} issueKey={r.key} />}
        </span>
      ),
    },
    status: { header: 'Status', cell: (r) => <StatusLozenge status={r.status} /> },
    priority: { header: 'Priority', cell: (r) => <RowPriority site={site} issueKey={r.key} priority={r.priority} /> },
    sla: { header: 'SLA', cell: (r) => <SlaBadge slas={r.slas} /> },
    created: { header: 'Created', cell: (r) => <DateTime value={r.created} /> },
    updated: { header: 'Updated', cell: (r) => <DateTime value={r.updated} /> },
  };
  // the Assignee column is always there (assigning happens in the queue), and so is the SLA column,
  // after the queue's own columns: the most urgent timer of each request (docs/product.md#slas)
  const shown = [...page.queue.fields.filter((f) => f in columns), ...(page.queue.fields.includes('assignee') ? [] : ['assignee']), 'sla'];
  return (
    <>
      <PageHeading
        title={page.queue.name}
        description={<>{page.project.name} ({page.project.key}) · <code className="agent-queue-jql">{page.queue.jql}</code></>}
        actions={!page.queue.builtIn ? <DeleteQueue site={site} projectKey={projectKey} queueId={queueId} name={page.queue.name} /> : undefined}
      />
      <DataTable
        stackOnPhone
        caption={`Requests in ${page.queue.name}`}
        columns={shown.map((f) => columns[f])}
        rows={page.values}
        rowKey={(r) => r.id}
        empty="No requests in this queue."
      />
      {(page.start > 0 || !page.isLastPage) && (
        <div className="agent-pager">
          <Button isDisabled={page.start === 0} onPress={() => setStart(Math.max(0, page.start - page.limit))}>Previous</Button>
          <span className="ui-muted">{page.start + 1}–{page.start + page.values.length}</span>
          <Button isDisabled={page.isLastPage} onPress={() => setStart(page.start + page.limit)}>Next</Button>
        </div>
      )}
      <NewQueue site={site} projectKey={projectKey} />
    </>
  );
}

function DeleteQueue({ site, projectKey, queueId, name }: { site: string; projectKey: string; queueId: string; name: string }) {
  const client = useQueryClient();
  const navigate = useNavigate();
  const remove = useMutation({
    mutationFn: () => agentApi.deleteQueue(site, projectKey, queueId),
    onSuccess: async () => {
      await client.invalidateQueries({ queryKey: agentKeys.queues(site, projectKey) });
      await navigate({ to: '/s/$site/jira/servicedesk/projects/$key/queues', params: { site, key: projectKey.toUpperCase() } });
    },
  });
  return (
    <Button variant="danger" onPress={() => remove.mutate()} isDisabled={remove.isPending} aria-label={`Delete queue ${name}`}>
      Delete queue
    </Button>
  );
}

/** "New queue": a name and a JQL, run within the project. */
function NewQueue({ site, projectKey }: { site: string; projectKey: string }) {
  const client = useQueryClient();
  const navigate = useNavigate();
  const [name, setName] = useState('');
  const [jql, setJql] = useState('');
  const create = useMutation({
    mutationFn: () => agentApi.createQueue(site, projectKey, name, jql),
    onSuccess: async (queue) => {
      setName('');
      setJql('');
      await client.invalidateQueries({ queryKey: agentKeys.queues(site, projectKey) });
      await navigate({ to: '/s/$site/jira/servicedesk/projects/$key/queues/custom/$queueId', params: { site, key: projectKey.toUpperCase(), queueId: queue.id } });
    },
  });
  const fieldErrors: Record<string, string> = create.error instanceof ApiError ? create.error.errors : {};
  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    create.mutate();
  };
  return (
    <section aria-labelledby="new-queue" className="agent-new-queue">
      <h2 id="new-queue">New queue</h2>
      <form onSubmit={onSubmit} className="agent-jql-form">
        <TextField label="Queue name" value={name} onChange={setName} error={fieldErrors.name} />
        <TextField label="JQL" value={jql} onChange={setJql} error={fieldErrors.jql} description="For example: priority in (High, Highest) AND assignee is EMPTY" />
        <Button type="submit" variant="primary" isDisabled={create.isPending}>Create queue</Button>
      </form>
      {create.isError && !fieldErrors.name && !fieldErrors.jql && <Alert>{errorText(create.error)}</Alert>}
    </section>
  );
}
