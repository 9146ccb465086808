import { useCallback, useEffect, useRef, useState, type FormEvent, type KeyboardEvent } from 'react';
import { useMutation, useQueries, useQuery, useQueryClient } from '@tanstack/react-query';
import { Label, Radio, RadioGroup, Text, TextArea, TextField as AriaTextField } from 'react-aria-components';
import { UserPicker, type PickerPerson } from '../components/UserPicker';
import { Attachments, attachmentsQuery } from '../components/Attachments';
import { RequestRatingForAgents, agentRatingQuery } from '../components/Satisfaction';
import { RequestApprovals, requestApprovalsQuery } from '../components/Approvals';
import { Link } from '../link';
import { RequestText } from '../components/RequestText';
import { Alert, Button, DateTime, DialogActions, Loading, ModalDialog, Status, LoadFailed } from '../shared/ui';
import { useDraft } from '../shared/useDraft';
import { InsertCannedResponse } from './CannedResponses';
import { AgentLayout } from './AgentLayout';
import { agentApi, agentKeys, type AgentRequest, type Comment, type HistoryEntry, type Person, type PeopleChange } from './agent-api';
import { errorText } from '../shared/errors';
import { PersonLabel, StatusLozenge, accessText } from './common';
import { RequestAssignment } from './Assignment';
import { RequestSlas, requestSlasQuery } from './Sla';
import { projectKeyOf } from './queue-list';

/**
 * `/s/:site/browse/:key`: the agent's request view — summary, description, status with its
 * transitions, Reporter / Request participants / the request type's user-picker fields (all through
 * the one UserPicker; a change sends only that field; a new reporter is confirmed first), comments
 * with the composer (reply or internal note, chosen before writing; docs/product.md#composer) and the
 * request's history (docs/product.md#history).
 */
export function RequestPage({ site, issueKey }: { site: string; issueKey: string }) {
  const projectKey = projectKeyOf(issueKey);
  return (
    <AgentLayout site={site} projectKey={projectKey}>
      {() => <RequestView site={site} issueKey={issueKey} />}
    </AgentLayout>
  );
}

/**
 * The request and the sections above the composer that load on their own (SLAs, approvals, files,
 * the rating) are asked for together, and the page shows once every one has answered (or failed: a
 * section that cannot load shows nothing): arriving one by one, each pushed what is below it — the
 * composer — down under a person's pointer (docs/product.md#agent-request-view).
 */
function RequestView({ site, issueKey }: { site: string; issueKey: string }) {
  const q = useQuery({ queryKey: agentKeys.request(site, issueKey), queryFn: () => agentApi.request(site, issueKey) });
  const sections = useQueries({
    queries: [requestSlasQuery(site, issueKey), requestApprovalsQuery(site, issueKey, 'agent'), attachmentsQuery(site, issueKey), agentRatingQuery(site, issueKey)],
  });
  if (q.isError) return <LoadFailed error={q.error} message={accessText(q.error, `Request ${issueKey}`)} />;
  if (!q.data || sections.some((section) => section.isPending)) return <Loading />;
  const r = q.data;
  return (
    <article aria-labelledby="request-title">
      <p className="ui-muted">
        <Link to="/s/$site/jira/servicedesk/projects/$key/queues" params={{ site, key: r.project.key }}>
          {r.project.name}
        </Link> / {r.key} · {r.requestType.name}
      </p>
      <div className="agent-request">
        <div className="agent-request-main">
          <h1 id="request-title">{r.summary}</h1>
          <Transitions site={site} request={r} />
          <RequestSlas site={site} issueKey={r.key} />
          <RequestApprovals site={site} issueKey={r.key} surface="agent" />
          <h2>Description</h2>
          {r.description ? <RequestText text={r.description} className="agent-description" /> : <p className="ui-muted">No description.</p>}
          <Attachments site={site} issueKey={r.key} />
          <RequestRatingForAgents site={site} issueKey={r.key} />
          <Comments site={site} request={r} />
          <Composer key={`${site}/${r.key}`} site={site} request={r} />
          <History request={r} />
        </div>
        <aside className="agent-request-side" aria-label="People">
          <RequestAssignment site={site} request={r} />
          <People site={site} request={r} />
          <dl className="ui-details">
            <dt>Created</dt>
            <dd><DateTime value={r.created} /></dd>
            <dt>Updated</dt>
            <dd><DateTime value={r.updated} /></dd>
          </dl>
        </aside>
      </div>
    </article>
  );
}

function useRefresh(site: string, key: string) {
  const client = useQueryClient();
  return () => Promise.all([
    client.invalidateQueries({ queryKey: agentKeys.request(site, key) }),
    client.invalidateQueries({ queryKey: ['agent', site, 'queue'] }),
    client.invalidateQueries({ queryKey: ['agent', site, 'search'] }),
  ]);
}

function Transitions({ site, request }: { site: string; request: AgentRequest }) {
  const refresh = useRefresh(site, request.key);
  const move = useMutation({ mutationFn: (to: AgentRequest['transitions'][number]['to']) => agentApi.transition(site, request.key, to), onSuccess: refresh });
  return (
    <>
      <div className="agent-transitions" role="group" aria-label="Status">
        <span>Status:</span> <StatusLozenge status={request.status} />
        {request.transitions.map((t) => (
          <Button key={t.to} onPress={() => move.mutate(t.to)} isDisabled={move.isPending}>
            {t.name}
          </Button>
        ))}
      </div>
      {move.isError && <Alert>{errorText(move.error)}</Alert>}
    </>
  );
}

const toPicker = (p: Person): PickerPerson => ({ accountId: p.accountId, label: p.label, displayName: p.displayName, email: p.email, active: p.active });

/** How long a saved change of a people field can be undone. */
const UNDO_SECONDS = 10;

interface SavedChange {
  text: string;
  undo?: () => void;
}

function peopleText(people: PickerPerson[]): string {
  if (people.length === 0) return 'nobody';
  return people.map((p) => p.label).join(', ');
}

/** What an undo puts back, in words: the people the field held before the change. */
function undoneText(undo: PeopleChange, request: AgentRequest): string {
  const byId = new Map<string, string>();
  for (const p of [request.reporter, ...request.participants, ...request.fields.flatMap((f) => f.values)]) byId.set(p.accountId, p.label);
  const name = (id: string | null | undefined) => (id ? (byId.get(id) ?? 'the person before') : 'nobody');
  if (undo.reporter) return name(undo.reporter);
  if (undo.participants) return undo.participants.length ? undo.participants.map(name).join(', ') : 'nobody';
  const value = Object.values(undo.fields ?? {})[0];
  if (Array.isArray(value)) return value.length ? value.map(name).join(', ') : 'nobody';
  return name(value ?? null);
}

/** Each field saves on its own, sending only its change: stored values of other fields are never resent. */
function People({ site, request }: { site: string; request: AgentRequest }) {
  const refresh = useRefresh(site, request.key);
  const [errors, setErrors] = useState<Record<string, string>>({});
  // the last change, said aloud (role="status") with "Undo" for UNDO_SECONDS (docs/product.md#picker-keyboard)
  const [saved, setSaved] = useState<SavedChange | null>(null);
  useEffect(() => {
    if (!saved) return;
    const t = setTimeout(() => setSaved(null), UNDO_SECONDS * 1000);
    return () => clearTimeout(t);
  }, [saved]);
  const save = useMutation({ mutationFn: (change: PeopleChange) => agentApi.updatePeople(site, request.key, change) });
  // a new reporter waits for confirmation; cancelling remounts the picker with the stored reporter
  const [newReporter, setNewReporter] = useState<PickerPerson | null>(null);
  const [reporterPicker, setReporterPicker] = useState(0);

  /** Saves one field; `undo` is the change that puts back what it held, `now` says what it holds after. */
  const submit = (errorKey: string, label: string, change: PeopleChange, now: string, undo?: PeopleChange) => {
    setSaved(null);
    save.mutate(change, {
      onSuccess: async () => {
        setErrors((e) => ({ ...e, [errorKey]: '' }));
        await refresh();
        setSaved({ text: undo ? `${label}: ${now}.` : `${label} is back to ${now}.`, undo: undo && (() => submit(errorKey, label, undo, undoneText(undo, request))) });
      },
      onError: (err) => setErrors((e) => ({ ...e, [errorKey]: errorText(err) })),
    });
  };

  return (
    <>
      <UserPicker
        key={`reporter-${reporterPicker}`}
        label="Reporter"
        site={site}
        fieldKey="reporter"
        value={toPicker(request.reporter)}
        errorMessage={errors.reporter || undefined}
        onChange={(p) => {
          if (!p) {
            setErrors((e) => ({ ...e, reporter: 'A request always has a reporter: choose someone else instead.' }));
            return;
          }
          if (p.accountId !== request.reporter.accountId) setNewReporter(p);
        }}
      />
      {newReporter && (
        <ModalDialog
          alert
          title={`Change the reporter to ${newReporter.label}?`}
          onClose={() => {
            setNewReporter(null);
            setReporterPicker((n) => n + 1);
          }}
        >
          <p>
            {request.key} moves to {newReporter.label}’s “My requests” in the help center, and {newReporter.label} is mailed
            that it is now theirs to follow. {request.reporter.label} no longer sees it there, unless they are a participant or it is
            shared with their organization.
          </p>
          <DialogActions>
            <Button
              variant="primary"
              onPress={() => {
                submit('reporter', 'Reporter', { reporter: newReporter.accountId }, newReporter.label, { reporter: request.reporter.accountId });
                setNewReporter(null);
              }}
            >
              Change reporter
            </Button>
            <Button
              onPress={() => {
                setNewReporter(null);
                setReporterPicker((n) => n + 1);
              }}
            >
              Cancel
            </Button>
          </DialogActions>
        </ModalDialog>
      )}
      <UserPicker
        multiple
        label="Request participants"
        site={site}
        fieldKey="participants"
        values={request.participants.map(toPicker)}
        errorMessage={errors.participants || undefined}
        onChange={(ps) =>
          submit('participants', 'Request participants', { participants: ps.map((p) => p.accountId) }, peopleText(ps), {
            participants: request.participants.map((p) => p.accountId),
          })
        }
      />
      {request.fields.map((f) =>
        f.type === 'multiuser' ? (
          <UserPicker
            key={f.fieldKey}
            multiple
            label={f.label}
            site={site}
            fieldKey={f.fieldKey}
            values={f.values.map(toPicker)}
            errorMessage={errors[f.fieldKey] || undefined}
            onChange={(ps) =>
              submit(f.fieldKey, f.label, { fields: { [f.fieldKey]: ps.map((p) => p.accountId) } }, peopleText(ps), {
                fields: { [f.fieldKey]: f.values.map((p) => p.accountId) },
              })
            }
          />
        ) : (
          <UserPicker
            key={f.fieldKey}
            label={f.label}
            site={site}
            fieldKey={f.fieldKey}
            value={f.values[0] ? toPicker(f.values[0]) : null}
            errorMessage={errors[f.fieldKey] || undefined}
            onChange={(p) =>
              submit(f.fieldKey, f.label, { fields: { [f.fieldKey]: p ? p.accountId : null } }, p ? p.label : 'nobody', {
                fields: { [f.fieldKey]: f.values[0] ? f.values[0].accountId : null },
              })
            }
          />
        ),
      )}
      {saved ? (
        <Status onDismiss={() => setSaved(null)}>
          {saved.text}{' '}
          {saved.undo && (
            <Button
              variant="quiet"
              className="agent-undo"
              onPress={() => {
                const undo = saved.undo!;
                setSaved(null);
                undo();
              }}
            >
              Undo
            </Button>
          )}
        </Status>
      ) : (
        <Status />
      )}
    </>
  );
}


/** What kind of comment it is, in words: the customer's, a reply to the customer, or an internal note. */
function commentKind(c: Comment): string {
  if (!c.public) return 'Internal note';
  return c.fromCustomer ? 'From the customer' : 'Reply to customer';
}

function Comments({ site, request }: { site: string; request: AgentRequest }) {
  return (
    <section aria-labelledby="comments-title">
      <h2 id="comments-title">Activity</h2>
      {request.comments.length === 0 ? (
        <p className="ui-muted">No comments yet.</p>
      ) : (
        <ol className="agent-comments">
          {request.comments.map((c) => (
            <CommentItem key={c.id} site={site} request={request} comment={c} />
          ))}
        </ol>
      )}
    </section>
  );
}

function CommentItem({ site, request, comment: c }: { site: string; request: AgentRequest; comment: Comment }) {
  const refresh = useRefresh(site, request.key);
  const [editing, setEditing] = useState<string | null>(null);
  const [deleting, setDeleting] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const edit = useMutation({
    mutationFn: (body: string) => agentApi.editComment(site, request.key, c.id, body),
    onSuccess: async () => {
      setEditing(null);
      setError(null);
      await refresh();
    },
    onError: (err) => setError(errorText(err)),
  });
  const remove = useMutation({
    mutationFn: () => agentApi.deleteComment(site, request.key, c.id),
    onSuccess: async () => {
      setDeleting(false);
      await refresh();
    },
    onError: (err) => {
      setDeleting(false);
      setError(errorText(err));
    },
  });
  // the server decides (editableUntil is sent to the author only, while the window is open)
  const editable = c.editableUntil !== undefined && Date.parse(c.editableUntil) > Date.now();
  const classes = ['agent-comment', c.public ? '' : 'is-internal', c.fromCustomer ? 'is-customer' : ''].filter(Boolean).join(' ');
  return (
    <li className={classes}>
      <div className="agent-comment-meta">
        <span className="agent-comment-author"><PersonLabel person={c.author} /></span>
        {c.fromCustomer && <span className="agent-badge agent-badge-customer">Customer</span>}
        <DateTime value={c.createdAt} />
        <span>{commentKind(c)}</span>
        {c.editedAt && <span>(edited)</span>}
      </div>
      {editing === null ? (
        <RequestText text={c.body} className="agent-comment-body" />
      ) : (
        <form
          className="agent-comment-edit"
          onSubmit={(e: FormEvent) => {
            e.preventDefault();
            edit.mutate(editing);
          }}
        >
          <AriaTextField value={editing} onChange={setEditing} className="agent-field" autoFocus>
            <Label className="agent-field-label">Edit your comment</Label>
            <TextArea className="agent-textarea" />
          </AriaTextField>
          <div className="agent-composer-actions">
            <Button type="submit" variant="primary" isDisabled={!editing.trim() || edit.isPending}>Save</Button>
            <Button onPress={() => setEditing(null)}>Cancel</Button>
          </div>
        </form>
      )}
      {error && <Alert>{error}</Alert>}
      {editable && editing === null && (
        <div className="agent-comment-actions">
          <Button variant="quiet" aria-label={`Edit your ${commentKind(c).toLowerCase()}`} onPress={() => setEditing(c.body)}>Edit</Button>
          <Button variant="quiet" aria-label={`Delete your ${commentKind(c).toLowerCase()}`} onPress={() => setDeleting(true)}>Delete</Button>
        </div>
      )}
      {deleting && (
        <ModalDialog alert title="Delete this comment?" onClose={() => setDeleting(false)}>
          <p>It disappears from the request for everyone who could read it. Its text stays in the request’s history, which only agents see.</p>
          <DialogActions>
            <Button variant="primary" isDisabled={remove.isPending} onPress={() => remove.mutate()}>Delete comment</Button>
            <Button onPress={() => setDeleting(false)}>Cancel</Button>
          </DialogActions>
        </ModalDialog>
      )}
    </li>
  );
}

type ComposerMode = 'reply' | 'internal';
interface ComposerDraft {
  mode: ComposerMode;
  body: string;
}
const EMPTY_DRAFT: ComposerDraft = { mode: 'reply', body: '' };
// only text is worth keeping: a fresh page starts with a reply
const draftIsEmpty = (d: ComposerDraft) => d.body.trim() === '';

const MODES: Record<ComposerMode, { label: string; hint: string; send: string }> = {
  reply: { label: 'Reply to customer', hint: 'Reply to customer — the customer sees this and is mailed', send: 'Send reply' },
  internal: { label: 'Internal note', hint: 'Internal note — customers won’t see this', send: 'Add internal note' },
};

/**
 * The composer: the kind of comment is chosen before writing, and the box shows it at once (an
 * internal note is yellow, dashed, and says customers won't see it). The draft and its kind are kept
 * per site and request in this browser until sent; Ctrl+Enter (⌘+Enter) sends.
 */
function Composer({ site, request }: { site: string; request: AgentRequest }) {
  const refresh = useRefresh(site, request.key);
  const [draft, setDraft] = useDraft<ComposerDraft>(`portico:draft:${site}:${request.key}`, EMPTY_DRAFT, draftIsEmpty);
  const bodyRef = useRef<HTMLTextAreaElement>(null);
  const mode = MODES[draft.mode];
  const add = useMutation({
    mutationFn: (d: ComposerDraft) => agentApi.comment(site, request.key, d.body, d.mode === 'reply'),
    onSuccess: async (_comment, sent) => {
      setDraft({ mode: sent.mode, body: '' });
      await refresh();
    },
  });
  const send = useCallback(() => {
    if (draft.body.trim() && !add.isPending) add.mutate(draft);
  }, [add, draft]);
  const onKeyDown = (e: KeyboardEvent) => {
    if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) {
      e.preventDefault();
      send();
    }
  };
  return (
    <form
      className={draft.mode === 'internal' ? 'agent-composer is-internal' : 'agent-composer'}
      aria-label="Add a comment"
      onSubmit={(e: FormEvent) => {
        e.preventDefault();
        send();
      }}
    >
      <RadioGroup value={draft.mode} onChange={(v) => setDraft({ ...draft, mode: v as ComposerMode })} orientation="horizontal" className="agent-composer-modes">
        <Label className="agent-field-label">Write</Label>
        {(Object.keys(MODES) as ComposerMode[]).map((m) => (
          <Radio key={m} value={m} className="agent-composer-mode">
            {MODES[m].label}
          </Radio>
        ))}
      </RadioGroup>
      <AriaTextField value={draft.body} onChange={(body) => setDraft({ ...draft, body })} className="agent-field">
        <Label className="agent-field-label agent-composer-label">{mode.hint}</Label>
        <TextArea ref={bodyRef} className="agent-textarea" onKeyDown={onKeyDown} />
        <Text slot="description" className="ui-muted agent-composer-help">
          Markdown works: **bold**, lists, links. Ctrl+Enter (⌘+Enter) sends. Your draft is kept in this browser until you send it.
        </Text>
      </AriaTextField>
      {add.isError && <Alert>{errorText(add.error)}</Alert>}
      <div className="agent-composer-actions">
        <Button type="submit" variant="primary" isDisabled={!draft.body.trim() || add.isPending}>
          {mode.send}
        </Button>
        <InsertCannedResponse
          site={site}
          projectKey={request.project.key}
          onInsert={(text) => {
            setDraft({ ...draft, body: draft.body.trim() ? `${draft.body.trimEnd()}\n\n${text}` : text });
            // back to the text to edit it, once the menu has closed and given the focus back to its button
            setTimeout(() => bodyRef.current?.focus(), 50);
          }}
        />
      </div>
    </form>
  );
}

function historyValue(v: HistoryEntry['from']): string {
  if (v.text !== undefined) return v.text;
  if (v.people) return v.people.length ? v.people.map((p) => p.label).join(', ') : 'None';
  return 'None';
}

/** Every change of the request, oldest first like the comments, with who and when (agents only). */
function History({ request }: { request: AgentRequest }) {
  return (
    <section aria-labelledby="history-title" className="agent-history">
      <h2 id="history-title">History</h2>
      {request.history.length === 0 ? (
        <p className="ui-muted">No changes yet.</p>
      ) : (
        <ol className="agent-history-list">
          {request.history.map((h) => (
            <li key={h.id}>
              <div className="agent-comment-meta">
                <span className="agent-comment-author"><PersonLabel person={h.actor} /></span>
                <DateTime value={h.at} />
              </div>
              {h.field === 'comment' ? (
                <>
                  <p className="agent-history-change">{h.change === 'edited' ? 'Edited' : 'Deleted'} a comment ({h.fieldName.toLowerCase()})</p>
                  <details>
                    <summary>{h.change === 'edited' ? 'Text before and after' : 'The deleted text'}</summary>
                    <p className="agent-history-text"><strong>Before:</strong> {historyValue(h.from)}</p>
                    {h.change === 'edited' && <p className="agent-history-text"><strong>After:</strong> {historyValue(h.to)}</p>}
                  </details>
                </>
              ) : (
                <p className="agent-history-change">
                  Changed <strong>{h.fieldName}</strong> from <span className="agent-history-value">{historyValue(h.from)}</span> to{' '}
                  <span className="agent-history-value">{historyValue(h.to)}</span>
                </p>
              )}
            </li>
          ))}
        </ol>
      )}
    </section>
  );
}
