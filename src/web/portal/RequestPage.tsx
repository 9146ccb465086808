import { useState, type FormEvent } from 'react';
import { useQueries, useQuery, useQueryClient } from '@tanstack/react-query';
import { Label, TextArea, TextField as AriaTextField } from 'react-aria-components';
import { ApiError } from '../api';
import { Link } from '../link';
import { PortalLayout } from '../shared/PortalLayout';
import { Alert, Button, DateTime, DialogActions, Loading, ModalDialog, Status } from '../shared/ui';
import { RequestText } from '../components/RequestText';
import { UserPicker, type PickerPerson } from '../components/UserPicker';
import { Attachments, attachmentsQuery } from '../components/Attachments';
import { RateRequest, portalRatingQuery } from '../components/Satisfaction';
import { RequestApprovals, requestApprovalsQuery } from '../components/Approvals';
import { errorText } from '../shared/errors';
import { useCustomerSession } from '../shared/useSession';
import { organizationsApi, type CustomerOrganization } from '../organizations/organizations-api';
import { portalApi, useLoginOn401, type Comment, type Person, type RequestView } from './portal-api';
import './portal.css';

/** A request as its reporter and participants see it: status, details, people, public comments. */
export function RequestPage({ site, projectId, issueKey }: { site: string; projectId: string; issueKey: string }) {
  return (
    <PortalLayout site={site}>
      <RequestContent site={site} projectId={projectId} issueKey={issueKey} />
    </PortalLayout>
  );
}

const personClass = (p: Person) => (p.active ? 'portal-person' : 'portal-person is-inactive');

/**
 * The request and the sections above the comment box that load on their own (approval, the rating,
 * files) are asked for together and shown at once, as in the agent's view (docs/product.md#agent-request-view):
 * arriving one by one, each pushed the comment box down under the customer's pointer.
 */
function RequestContent({ site, projectId, issueKey }: { site: string; projectId: string; issueKey: string }) {
  const key = ['portal', site, 'request', issueKey.toUpperCase()];
  const q = useQuery({ queryKey: key, queryFn: () => portalApi.request(site, issueKey) });
  const sections = useQueries({ queries: [requestApprovalsQuery(site, issueKey, 'portal'), portalRatingQuery(site, issueKey), attachmentsQuery(site, issueKey)] });
  useLoginOn401(site, q.error);
  if (q.isPending || (q.isSuccess && sections.some((section) => section.isPending))) return <Loading />;
  if (q.isError) {
    return q.error instanceof ApiError && q.error.status === 404 ? (
      <>
        <h1>Request not found</h1>
        <p>This request does not exist, or you do not have permission to see it.</p>
        <p>
          <Link to="/s/$site/servicedesk/customer/user/requests" params={{ site }}>Go to my requests</Link>
        </p>
      </>
    ) : (
      <Alert>{errorText(q.error)}</Alert>
    );
  }
  const r = q.data;
  void projectId;
  return (
    <div className="portal-request">
      <nav aria-label="Breadcrumb" className="portal-breadcrumb">
        <Link to="/s/$site/servicedesk/customer/portals" params={{ site }}>Help center</Link> / <Link to="/s/$site/servicedesk/customer/portal/$projectId" params={{ site, projectId: r.portal.id }}>{r.portal.name}</Link> / <span>{r.key}</span>
      </nav>
      <div className="portal-request-grid">
        <div className="portal-request-main">
          <p className="ui-muted">{r.key} · {r.requestType.name}</p>
          <h1>{r.summary}</h1>
          <dl className="ui-details">
            <dt>Status</dt>
            <dd>
              <span className="portal-status" data-testid="request-status">{r.status}</span>
            </dd>
            <dt>Raised by</dt>
            <dd className={personClass(r.reporter)} data-testid="reporter">{r.reporter.label}</dd>
            <dt>Created</dt>
            <dd><DateTime value={r.createdAt} /></dd>
            {r.fields.map((f) => (
              <FieldRow key={f.fieldKey} label={f.label} people={f.values} />
            ))}
          </dl>
          <RequestApprovals site={site} issueKey={r.key} surface="portal" />
          <StatusActions site={site} request={r} queryKey={key} />
          <RateRequest site={site} issueKey={r.key} />
          {r.description && (
            <section aria-labelledby="description-heading" className="portal-description">
              <h2 id="description-heading">Description</h2>
              <RequestText text={r.description} />
            </section>
          )}
          <Attachments site={site} issueKey={r.key} />
          <Comments site={site} request={r} queryKey={key} />
        </div>
        <aside className="portal-request-side" aria-label="People">
          <Participants site={site} request={r} queryKey={key} />
          <OrganizationShares site={site} request={r} />
        </aside>
      </div>
    </div>
  );
}

/**
 * The reporter's own moves (docs/product.md#workflow): "Mark as resolved" while support works on it,
 * "Reopen" while it is resolved (a reply within the reopen window reopens it as well).
 */
function StatusActions({ site, request, queryKey }: { site: string; request: RequestView; queryKey: unknown[] }) {
  const queryClient = useQueryClient();
  const [error, setError] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const transitions = request.permissions?.transitions ?? [];
  if (transitions.length === 0 && !notice) return null;
  const move = async (to: string, name: string) => {
    setBusy(true);
    setError(null);
    try {
      const r = await portalApi.transition(site, request.key, to);
      setNotice(name === 'Reopen' ? `${r.key} is reopened: it is waiting for support again.` : `${r.key} is marked as resolved.`);
      await queryClient.invalidateQueries({ queryKey });
    } catch (err) {
      setError(errorText(err));
    } finally {
      setBusy(false);
    }
  };
  return (
    <div className="portal-status-actions">
      {error && <Alert>{error}</Alert>}
      {notice && <Status onDismiss={() => setNotice(null)}>{notice}</Status>}
      {transitions.map((t) => (
        <Button key={t.to} variant={t.name === 'Reopen' ? 'primary' : 'secondary'} isDisabled={busy} onPress={() => void move(t.to, t.name)}>
          {t.name}
        </Button>
      ))}
      {request.status === 'Resolved' && <p className="ui-muted">Not fixed after all? Reopen it and support will look at it again.</p>}
    </div>
  );
}

function FieldRow({ label, people }: { label: string; people: Person[] }) {
  return (
    <>
      <dt>{label}</dt>
      <dd>
        {people.length === 0 ? <span className="ui-muted">None</span> : people.map((p, i) => (
          <span key={p.accountId}>
            {i > 0 && ', '}
            <span className={personClass(p)}>{p.label}</span>
          </span>
        ))}
      </dd>
    </>
  );
}

function Comments({ site, request, queryKey }: { site: string; request: RequestView; queryKey: unknown[] }) {
  const queryClient = useQueryClient();
  const [body, setBody] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [sending, setSending] = useState(false);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (body.trim() === '') {
      setError('The comment cannot be empty.');
      return;
    }
    setSending(true);
    setError(null);
    try {
      await portalApi.comment(site, request.key, body);
      setBody('');
      await queryClient.invalidateQueries({ queryKey });
    } catch (err) {
      setError(errorText(err));
    } finally {
      setSending(false);
    }
  };
  const visible = request.comments.filter((c) => c.public);
  return (
    <section aria-labelledby="activity-heading" className="ui-section">
      <h2 id="activity-heading">Activity</h2>
      {visible.length === 0 ? (
        <p className="ui-muted">No comments yet.</p>
      ) : (
        <ol className="portal-comments" aria-label="Comments">
          {visible.map((c) => (
            <CommentItem key={c.id} site={site} request={request} comment={c} queryKey={queryKey} />
          ))}
        </ol>
      )}
      <form onSubmit={submit} className="portal-comment-form" aria-label="Add a comment">
        {error && <Alert>{error}</Alert>}
        <AriaTextField value={body} onChange={setBody} className="ui-field">
          <Label className="ui-label">Add a comment</Label>
          <TextArea className="ui-input portal-textarea" rows={3} />
        </AriaTextField>
        <Button type="submit" variant="primary" isDisabled={sending}>
          {sending ? 'Saving…' : 'Comment'}
        </Button>
      </form>
    </section>
  );
}

/** A public comment; its author may edit or delete it while the server says the window is open. */
function CommentItem({ site, request, comment: c, queryKey }: { site: string; request: RequestView; comment: Comment; queryKey: unknown[] }) {
  const queryClient = useQueryClient();
  const [editing, setEditing] = useState<string | null>(null);
  const [deleting, setDeleting] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const editable = c.editableUntil !== undefined && Date.parse(c.editableUntil) > Date.now();
  const run = async (action: () => Promise<unknown>) => {
    setBusy(true);
    setError(null);
    try {
      await action();
      setEditing(null);
      setDeleting(false);
      await queryClient.invalidateQueries({ queryKey });
    } catch (err) {
      setDeleting(false);
      setError(errorText(err));
    } finally {
      setBusy(false);
    }
  };
  return (
    <li className="portal-comment">
      <p className="portal-comment-meta">
        <span className={personClass(c.author)}>{c.author.label}</span> · <DateTime value={c.createdAt} />
        {c.editedAt && <> · (edited)</>}
      </p>
      {editing === null ? (
        <RequestText text={c.body} />
      ) : (
        <form
          onSubmit={(e: FormEvent) => {
            e.preventDefault();
            void run(() => portalApi.editComment(site, request.key, c.id, editing));
          }}
          className="portal-comment-form"
        >
          <AriaTextField value={editing} onChange={setEditing} className="ui-field" autoFocus>
            <Label className="ui-label">Edit your comment</Label>
            <TextArea className="ui-input portal-textarea" rows={3} />
          </AriaTextField>
          <div className="portal-form-actions">
            <Button type="submit" variant="primary" isDisabled={busy || !editing.trim()}>Save</Button>
            <Button onPress={() => setEditing(null)}>Cancel</Button>
          </div>
        </form>
      )}
      {error && <Alert>{error}</Alert>}
      {editable && editing === null && (
        <div className="portal-form-actions">
          <Button variant="quiet" aria-label="Edit your comment" onPress={() => setEditing(c.body)}>Edit</Button>
          <Button variant="quiet" aria-label="Delete your comment" onPress={() => setDeleting(true)}>Delete</Button>
        </div>
      )}
      {deleting && (
        <ModalDialog alert title="Delete this comment?" onClose={() => setDeleting(false)}>
          <p>It disappears from the request for everyone who could read it.</p>
          <DialogActions>
            <Button variant="primary" isDisabled={busy} onPress={() => void run(() => portalApi.deleteComment(site, request.key, c.id))}>Delete comment</Button>
            <Button onPress={() => setDeleting(false)}>Cancel</Button>
          </DialogActions>
        </ModalDialog>
      )}
    </li>
  );
}

function Participants({ site, request, queryKey }: { site: string; request: RequestView; queryKey: unknown[] }) {
  const queryClient = useQueryClient();
  const [toAdd, setToAdd] = useState<PickerPerson[]>([]);
  const [error, setError] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const removable = new Set(request.permissions?.removableParticipantIds ?? []);

  const share = async () => {
    if (toAdd.length === 0) return;
    setError(null);
    try {
      const r = await portalApi.share(site, request.key, toAdd.map((p) => p.accountId));
      setToAdd([]);
      await queryClient.invalidateQueries({ queryKey });
      setNotice(r.added.length ? `Shared with ${r.added.map((p) => p.label).join(', ')}.` : 'They can already see this request.');
    } catch (err) {
      setError(errorText(err));
    }
  };
  const remove = async (p: Person) => {
    setError(null);
    try {
      await portalApi.unshare(site, request.key, [p.accountId]);
      await queryClient.invalidateQueries({ queryKey });
      setNotice(`${p.label} was removed.`);
    } catch (err) {
      setError(errorText(err));
    }
  };

  return (
    <section aria-labelledby="participants-heading">
      <h2 id="participants-heading">Shared with</h2>
      <ul className="portal-participants" aria-label="Participants">
        <li>
          <span className={personClass(request.reporter)}>{request.reporter.label}</span> <span className="ui-muted">(creator)</span>
        </li>
        {request.participants.map((p) => (
          <li key={p.accountId}>
            <span className={personClass(p)}>{p.label}</span>
            {removable.has(p.accountId) && (
              <Button variant="quiet" className="portal-remove" aria-label={`Remove ${p.label}`} onPress={() => remove(p)}>
                ×
              </Button>
            )}
          </li>
        ))}
      </ul>
      {notice && <Status onDismiss={() => setNotice(null)}>{notice}</Status>}
      {error && <Alert>{error}</Alert>}
      {request.permissions?.canAddParticipants !== false && (
        <div className="portal-share">
          <UserPicker multiple label="Share" site={site} fieldKey="participants" projectId={request.portal.id} requestKey={request.key} values={toAdd} onChange={setToAdd} placeholder="Add people" />
          <Button onPress={share} isDisabled={toAdd.length === 0}>
            Share
          </Button>
        </div>
      )}
    </section>
  );
}

/**
 * "Shared with organizations": the customer organizations the request is shared with (their members
 * read it as participants do), and — for its reporter — a button per organization of theirs it is
 * not shared with yet (docs/product.md#customer-organizations).
 */
function OrganizationShares({ site, request }: { site: string; request: RequestView }) {
  const queryClient = useQueryClient();
  const session = useCustomerSession(site);
  const isReporter = session.data?.account.accountId === request.reporter.accountId;
  const sharedKey = ['portal', site, 'request-organizations', request.key];
  const shared = useQuery({ queryKey: sharedKey, queryFn: () => organizationsApi.ofRequest(site, request.key) });
  const mine = useQuery({ queryKey: ['portal', site, 'my-organizations'], queryFn: () => organizationsApi.list(site, '', 0, 100), enabled: isReporter });
  const [error, setError] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const sharedIds = new Set((shared.data?.values ?? []).map((o) => o.id));
  const shareable = (mine.data?.values ?? []).filter((o) => !sharedIds.has(o.id));
  if (!shared.data || (shared.data.values.length === 0 && shareable.length === 0)) return null;

  const change = async (org: CustomerOrganization, share: boolean) => {
    setError(null);
    try {
      const r = share ? await organizationsApi.shareRequest(site, request.key, org.id) : await organizationsApi.unshareRequest(site, request.key, org.id);
      queryClient.setQueryData(sharedKey, r);
      setNotice(share ? `Shared with everyone in ${org.name}.` : `No longer shared with ${org.name}.`);
    } catch (err) {
      setError(errorText(err));
    }
  };
  return (
    <section aria-labelledby="organizations-heading">
      <h2 id="organizations-heading">Shared with organizations</h2>
      {shared.data.values.length === 0 ? (
        <p className="ui-muted">Not shared with an organization.</p>
      ) : (
        <ul className="portal-participants" aria-label="Organizations">
          {shared.data.values.map((o) => (
            <li key={o.id}>
              <span>{o.name}</span>
              {isReporter && (
                <Button variant="quiet" className="portal-remove" aria-label={`Stop sharing with ${o.name}`} onPress={() => change(o, false)}>
                  ×
                </Button>
              )}
            </li>
          ))}
        </ul>
      )}
      {notice && <Status onDismiss={() => setNotice(null)}>{notice}</Status>}
      {error && <Alert>{error}</Alert>}
      {isReporter &&
        shareable.map((o) => (
          <Button key={o.id} onPress={() => change(o, true)}>
            Share with {o.name}
          </Button>
        ))}
    </section>
  );
}
