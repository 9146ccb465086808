import { useState } from 'react';
import { queryOptions, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { Static } from 'typebox';
import { get, post } from '../api';
import { Link } from '../link';
import { errorText } from '../shared/errors';
import { Alert, Button, DateTime, Status } from '../shared/ui';
import type { ApprovalSchema, ApprovalsSchema, PendingApprovalsSchema } from '../../http/schemas/approvals';
import './Approvals.css';

// Approvals (docs/product.md#approvals): the approval panel of a request — Approve and Decline for
// a named approver in the help center, who was asked and what they answered, and in the agent view
// whether the approval is stuck (nobody named can answer) — and an approver's list of what waits
// for them. Kept out of the request pages' own files so each page only places it.

type Approval = Static<typeof ApprovalSchema>;
const enc = encodeURIComponent;
const DECISION_WORDS: Record<Approval['status'], string> = { pending: 'Waiting', approved: 'Approved', declined: 'Declined' };

const requestKeyOf = (site: string, issueKey: string, surface: 'portal' | 'agent') => [surface, site, 'request', issueKey.toUpperCase()];

/** A request's approvals: RequestApprovals's query, which the request pages also wait for. */
export const requestApprovalsQuery = (site: string, issueKey: string, surface: 'portal' | 'agent') =>
  queryOptions({
    queryKey: [...requestKeyOf(site, issueKey, surface), 'approvals'],
    queryFn: () => get<Static<typeof ApprovalsSchema>>(`/s/${enc(site)}/api/${surface}/requests/${enc(issueKey)}/approvals`),
  });

/** The approvals of a request, under the request's own query key (a change of the request refreshes them). */
export function RequestApprovals({ site, issueKey, surface }: { site: string; issueKey: string; surface: 'portal' | 'agent' }) {
  const requestKey = requestKeyOf(site, issueKey, surface);
  const q = useQuery(requestApprovalsQuery(site, issueKey, surface));
  if (!q.data || q.data.approvals.length === 0) return null;
  return (
    <section className="approvals" aria-labelledby="approvals-heading">
      <h2 id="approvals-heading">Approval</h2>
      {q.data.approvals.map((a) => (
        <ApprovalPanel key={a.id} site={site} issueKey={issueKey} approval={a} surface={surface} requestKey={requestKey} />
      ))}
    </section>
  );
}

function ApprovalPanel({ site, issueKey, approval, surface, requestKey }: { site: string; issueKey: string; approval: Approval; surface: 'portal' | 'agent'; requestKey: unknown[] }) {
  const queryClient = useQueryClient();
  const [notice, setNotice] = useState<string | null>(null);
  const answer = useMutation({
    mutationFn: (decision: 'approve' | 'decline') => post<Approval>(`/s/${enc(site)}/api/portal/requests/${enc(issueKey)}/approvals/${enc(approval.id)}`, { decision }),
    onSuccess: async (a) => {
      setNotice(a.status === 'approved' ? `You approved ${issueKey}.` : `You declined ${issueKey}.`);
      await queryClient.invalidateQueries({ queryKey: requestKey });
    },
  });
  return (
    <div className="approval" data-testid="approval">
      <p>
        <span className={`approval-status is-${approval.status}`} data-testid="approval-status">{DECISION_WORDS[approval.status]}</span>
        {approval.status === 'pending' ? ' · one approver decides' : <> · <DateTime value={approval.completedAt} /></>}
      </p>
      {approval.stuck && (
        <Alert tone="warning">
          {surface === 'agent'
            ? `Stuck: nobody named in ${approval.field?.label ?? 'the approvers field'} can approve this request${approval.approvers.length ? ' (deactivated)' : ''}. Replace the approver to move it on.`
            : 'This request is waiting for an approver who cannot answer yet. Support will name someone else.'}
        </Alert>
      )}
      <ul className="approval-approvers" aria-label="Approvers">
        {approval.approvers.length === 0 && <li className="ui-muted">Nobody is named yet.</li>}
        {approval.approvers.map((p) => (
          <li key={p.person.accountId} className={p.person.active ? undefined : 'is-inactive'}>
            <span data-testid="approver">{p.person.label}</span> <span className="ui-muted">— {DECISION_WORDS[p.decision]}</span>
          </li>
        ))}
      </ul>
      {answer.isError && <Alert>{errorText(answer.error)}</Alert>}
      {notice && <Status onDismiss={() => setNotice(null)}>{notice}</Status>}
      {approval.canAnswer && (
        <div className="approval-actions">
          <Button variant="primary" isDisabled={answer.isPending} onPress={() => answer.mutate('approve')}>Approve</Button>
          <Button isDisabled={answer.isPending} onPress={() => answer.mutate('decline')}>Decline</Button>
        </div>
      )}
    </div>
  );
}

/** The help center's "Waiting for your approval": nothing shows when nothing waits. */
export function MyApprovals({ site }: { site: string }) {
  const q = useQuery({
    queryKey: ['portal', site, 'approvals'],
    queryFn: () => get<Static<typeof PendingApprovalsSchema>>(`/s/${enc(site)}/api/portal/approvals`),
  });
  if (!q.data || q.data.approvals.length === 0) return null;
  return (
    <section className="approvals my-approvals" aria-labelledby="my-approvals-heading">
      <h2 id="my-approvals-heading">Waiting for your approval</h2>
      <ul>
        {q.data.approvals.map((a) => (
          <li key={a.id}>
            <Link to="/s/$site/servicedesk/customer/portal/$projectId/$issueKey" params={{ site, projectId: a.projectId, issueKey: a.key }}>
              {a.key} · {a.summary}
            </Link>{' '}
            <span className="ui-muted">{a.requestTypeName}, raised by {a.reporter.label}</span>
          </li>
        ))}
      </ul>
    </section>
  );
}
