import { useState } from 'react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { errorText } from '../shared/errors';
import { Alert, DataTable, Loading, PageHeading, SelectField, Status, LoadFailed } from '../shared/ui';
import { AgentLayout } from './AgentLayout';
import { agentApi, agentKeys, type RequestTypeApprovals } from './agent-api';
import { accessText } from './common';

// Approvals in the agent workspace (docs/product.md#approvals): which request types need approval,
// and which of each type's user-picker fields names its approvers. The project's agents and the
// site's admins set it; the next request raised follows it.

const NONE = 'none';
type Row = RequestTypeApprovals['values'][number];

/** `/s/:site/jira/servicedesk/projects/:key/approvals`: each request type's approval setting. */
export function ApprovalSettingsPage({ site, projectKey }: { site: string; projectKey: string }) {
  return <AgentLayout site={site} projectKey={projectKey}>{() => <ApprovalSettings site={site} projectKey={projectKey.toUpperCase()} />}</AgentLayout>;
}

function ApprovalSettings({ site, projectKey }: { site: string; projectKey: string }) {
  const client = useQueryClient();
  const [saved, setSaved] = useState('');
  const q = useQuery({ queryKey: agentKeys.approvalSettings(site, projectKey), queryFn: () => agentApi.approvalSettings(site, projectKey) });
  const save = useMutation({
    mutationFn: (change: { row: Row; fieldKey: string | null }) => agentApi.setApproval(site, projectKey, change.row.requestTypeId, change.fieldKey),
    onSuccess: async (result, { row }) => {
      await client.invalidateQueries({ queryKey: agentKeys.approvalSettings(site, projectKey) });
      setSaved(result.approvers ? `${row.name} now needs approval by the people in ${result.approvers.label}.` : `${row.name} no longer needs approval.`);
    },
  });
  if (q.isError) return <LoadFailed error={q.error} message={accessText(q.error, `Project ${projectKey}`)} />;
  if (!q.data) return <Loading />;
  const page = q.data;
  return (
    <>
      <PageHeading
        title="Approvals"
        description={`${page.project.name} (${page.project.key}) — a request type that needs approval raises its requests "Waiting for approval" until one of the people named in its approvers field approves or declines. Requests already raised keep what they had.`}
      />
      <DataTable
        stackOnPhone
        caption={`Request types of ${page.project.name}`}
        columns={[
          { header: 'Request type', cell: (r: Row) => r.name },
          {
            header: 'Needs approval by',
            cell: (r) =>
              r.pickerFields.length === 0 ? (
                <span className="ui-muted">No user-picker field on its form: add one to require approval.</span>
              ) : (
                <SelectField
                  hideLabel
                  label={`Approvers of ${r.name}`}
                  value={r.approvers?.fieldKey ?? NONE}
                  isDisabled={save.isPending}
                  options={[{ id: NONE, label: 'No approval needed' }, ...r.pickerFields.map((f) => ({ id: f.fieldKey, label: `People in ${f.label}` }))]}
                  onChange={(id) => {
                    setSaved('');
                    if (id !== (r.approvers?.fieldKey ?? NONE)) save.mutate({ row: r, fieldKey: id === NONE ? null : id });
                  }}
                />
              ),
          },
        ]}
        rows={page.values}
        rowKey={(r) => r.requestTypeId}
        empty="This project has no request types."
      />
      {save.isError && <Alert>{errorText(save.error)}</Alert>}
      <Status>{saved}</Status>
    </>
  );
}
