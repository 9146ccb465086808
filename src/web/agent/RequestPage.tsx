import { useState, type FormEvent } from 'react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Label, TextArea, TextField as AriaTextField } from 'react-aria-components';
import { UserPicker, type PickerPerson } from '../components/UserPicker';
import { Attachments } from '../components/Attachments';
import { RequestRatingForAgents } from '../components/Satisfaction';
import { Link } from '../link';
import { Alert, Button, DateTime, Loading, Status } from '../shared/ui';
import { AgentLayout } from './AgentLayout';
import { agentApi, agentKeys, type AgentRequest, type Person, type PeopleChange } from './agent-api';
import { errorText } from '../shared/errors';
import { PersonLabel, StatusLozenge, accessText } from './common';

/**
 * `/s/:site/browse/:key`: the agent's request view — summary, description, status with its
 * transitions, Reporter / Request participants / the request type's user-picker fields (all through
 * the one UserPicker; a change sends only that field), and comments with replies and internal notes.
 */
export function RequestPage({ site, issueKey }: { site: string; issueKey: string }) {
  const projectKey = issueKey.split('-')[0];
  return (
    <AgentLayout site={site} projectKey={projectKey}>
      {() => <RequestView site={site} issueKey={issueKey} />}
    </AgentLayout>
  );
}

function RequestView({ site, issueKey }: { site: string; issueKey: string }) {
  const q = useQuery({ queryKey: agentKeys.request(site, issueKey), queryFn: () => agentApi.request(site, issueKey) });
  if (q.isError) return <Alert>{accessText(q.error, `Request ${issueKey}`)}</Alert>;
  if (!q.data) return <Loading />;
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
          <h2>Description</h2>
          <p className="agent-description">{r.description || <span className="ui-muted">No description.</span>}</p>
          <Attachments site={site} issueKey={r.key} />
          <RequestRatingForAgents site={site} issueKey={r.key} />
          <Comments site={site} request={r} />
        </div>
        <aside className="agent-request-side" aria-label="People">
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

/** Each field saves on its own, sending only its change: stored values of other fields are never resent. */
function People({ site, request }: { site: string; request: AgentRequest }) {
  const refresh = useRefresh(site, request.key);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [saved, setSaved] = useState<string | null>(null);
  const save = useMutation({ mutationFn: (change: PeopleChange) => agentApi.updatePeople(site, request.key, change) });

  const submit = (errorKey: string, label: string, change: PeopleChange) => {
    setSaved(null);
    save.mutate(change, {
      onSuccess: async () => {
        setErrors((e) => ({ ...e, [errorKey]: '' }));
        await refresh();
        setSaved(`${label} saved.`);
      },
      onError: (err) => setErrors((e) => ({ ...e, [errorKey]: errorText(err) })),
    });
  };

  return (
    <>
      <UserPicker
        label="Reporter"
        site={site}
        fieldKey="reporter"
        value={toPicker(request.reporter)}
        isDisabled={save.isPending}
        errorMessage={errors.reporter || undefined}
        onChange={(p) => {
          if (!p) {
            setErrors((e) => ({ ...e, reporter: 'A request always has a reporter: choose someone else instead.' }));
            return;
          }
          submit('reporter', 'Reporter', { reporter: p.accountId });
        }}
      />
      <UserPicker
        multiple
        label="Request participants"
        site={site}
        fieldKey="participants"
        values={request.participants.map(toPicker)}
        isDisabled={save.isPending}
        errorMessage={errors.participants || undefined}
        onChange={(ps) => submit('participants', 'Request participants', { participants: ps.map((p) => p.accountId) })}
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
            isDisabled={save.isPending}
            errorMessage={errors[f.fieldKey] || undefined}
            onChange={(ps) => submit(f.fieldKey, f.label, { fields: { [f.fieldKey]: ps.map((p) => p.accountId) } })}
          />
        ) : (
          <UserPicker
            key={f.fieldKey}
            label={f.label}
            site={site}
            fieldKey={f.fieldKey}
            value={f.values[0] ? toPicker(f.values[0]) : null}
            isDisabled={save.isPending}
            errorMessage={errors[f.fieldKey] || undefined}
            onChange={(p) => submit(f.fieldKey, f.label, { fields: { [f.fieldKey]: p ? p.accountId : null } })}
          />
        ),
      )}
      {saved && <Status onDismiss={() => setSaved(null)} autoHideMs={4000}>{saved}</Status>}
    </>
  );
}

function Comments({ site, request }: { site: string; request: AgentRequest }) {
  const refresh = useRefresh(site, request.key);
  const [body, setBody] = useState('');
  const add = useMutation({
    mutationFn: (isPublic: boolean) => agentApi.comment(site, request.key, body, isPublic),
    onSuccess: async () => {
      setBody('');
      await refresh();
    },
  });
  return (
    <section aria-labelledby="comments-title">
      <h2 id="comments-title">Activity</h2>
      {request.comments.length === 0 ? (
        <p className="ui-muted">No comments yet.</p>
      ) : (
        <ol className="agent-comments">
          {request.comments.map((c) => (
            <li key={c.id} className={c.public ? 'agent-comment' : 'agent-comment is-internal'}>
              <div className="agent-comment-meta">
                <span className="agent-comment-author"><PersonLabel person={c.author} /></span>
                <DateTime value={c.createdAt} />
                <span>{c.public ? 'Reply to customer' : 'Internal note'}</span>
              </div>
              <p className="agent-comment-body">{c.body}</p>
            </li>
          ))}
        </ol>
      )}
      <form className="agent-composer" onSubmit={(e: FormEvent) => e.preventDefault()}>
        <AriaTextField value={body} onChange={setBody} className="agent-field">
          <Label className="agent-field-label">Comment</Label>
          <TextArea className="agent-textarea" />
        </AriaTextField>
        {add.isError && <Alert>{errorText(add.error)}</Alert>}
        <div className="agent-composer-actions">
          <Button variant="primary" isDisabled={!body.trim() || add.isPending} onPress={() => add.mutate(true)}>
            Reply to customer
          </Button>
          <Button isDisabled={!body.trim() || add.isPending} onPress={() => add.mutate(false)}>
            Add internal note
          </Button>
        </div>
      </form>
    </section>
  );
}
