import { useState, type FormEvent } from 'react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Label, Menu, MenuItem, MenuTrigger, Popover, TextArea, TextField as AriaTextField } from 'react-aria-components';
import type { Static } from 'typebox';
import { del, get, post, put } from '../api';
import { Link } from '../link';
import { errorText } from '../shared/errors';
import { Alert, Button, DateTime, DialogActions, Loading, ModalDialog, PageHeading, Status, TextField, LoadFailed } from '../shared/ui';
import type { CannedResponseSchema, CannedResponsesSchema } from '../../http/schemas/canned-responses';
import { AgentLayout } from './AgentLayout';
import { accessText } from './common';

// Canned responses (docs/product.md#canned-responses): the composer's "Insert a canned response",
// and the project's page to keep them.

type Canned = Static<typeof CannedResponseSchema>;
const enc = encodeURIComponent;
const url = (site: string, key: string) => `/s/${enc(site)}/api/agent/projects/${enc(key)}/canned-responses`;
const cannedKey = (site: string, key: string) => ['agent', site, 'canned', key.toUpperCase()];

function useCanned(site: string, projectKey: string) {
  return useQuery({ queryKey: cannedKey(site, projectKey), queryFn: () => get<Static<typeof CannedResponsesSchema>>(url(site, projectKey)) });
}

/** The composer's menu of the project's canned responses; choosing one hands its text to `onInsert`. */
export function InsertCannedResponse({ site, projectKey, onInsert }: { site: string; projectKey: string; onInsert: (text: string, title: string) => void }) {
  const q = useCanned(site, projectKey);
  const items = q.data?.values ?? [];
  if (q.isPending || q.isError) return null;
  if (items.length === 0) {
    return (
      <Link to="/s/$site/jira/servicedesk/projects/$key/canned-responses" params={{ site, key: projectKey.toUpperCase() }} className="agent-canned-link">
        Add canned responses
      </Link>
    );
  }
  return (
    <MenuTrigger>
      <Button variant="secondary">Insert a canned response</Button>
      <Popover className="ui-popover" placement="bottom start">
        <Menu
          className="ui-menu"
          items={items}
          onAction={(id) => {
            const chosen = items.find((c) => c.id === id);
            if (chosen) onInsert(chosen.body, chosen.title);
          }}
        >
          {(c) => (
            <MenuItem id={c.id} textValue={c.title} className="ui-menuitem">
              {c.title}
            </MenuItem>
          )}
        </Menu>
      </Popover>
    </MenuTrigger>
  );
}

/** `/s/:site/jira/servicedesk/projects/:key/canned-responses`: the project's ready answers. */
export function CannedResponsesPage({ site, projectKey }: { site: string; projectKey: string }) {
  return <AgentLayout site={site} projectKey={projectKey}>{() => <CannedList site={site} projectKey={projectKey.toUpperCase()} />}</AgentLayout>;
}

function CannedList({ site, projectKey }: { site: string; projectKey: string }) {
  const q = useCanned(site, projectKey);
  const client = useQueryClient();
  const [editing, setEditing] = useState<Canned | 'new' | null>(null);
  const [deleting, setDeleting] = useState<Canned | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const remove = useMutation({
    mutationFn: (c: Canned) => del(`${url(site, projectKey)}/${enc(c.id)}`),
    onSuccess: async (_r, c) => {
      setDeleting(null);
      setNotice(`“${c.title}” is deleted.`);
      await client.invalidateQueries({ queryKey: cannedKey(site, projectKey) });
    },
  });
  if (q.isError) return <LoadFailed error={q.error} message={accessText(q.error, `Project ${projectKey}`)} />;
  if (!q.data) return <Loading />;
  return (
    <>
      <PageHeading
        title="Canned responses"
        description={`Ready answers for ${projectKey}: insert one in a reply or a note from the request view, then edit it before sending.`}
        actions={
          <Button variant="primary" onPress={() => setEditing('new')}>
            Add canned response
          </Button>
        }
      />
      {notice && <Status onDismiss={() => setNotice(null)}>{notice}</Status>}
      {q.data.values.length === 0 ? (
        <p className="ui-muted">This project has no canned responses yet.</p>
      ) : (
        <ul className="agent-canned-list" aria-label="Canned responses">
          {q.data.values.map((c) => (
            <li key={c.id}>
              <h2>{c.title}</h2>
              <p className="agent-canned-body">{c.body}</p>
              <p className="ui-muted">
                Changed <DateTime value={c.updatedAt} />
              </p>
              <div className="agent-canned-actions">
                <Button onPress={() => setEditing(c)} aria-label={`Edit ${c.title}`}>
                  Edit
                </Button>
                <Button variant="quiet" onPress={() => setDeleting(c)} aria-label={`Delete ${c.title}`}>
                  Delete
                </Button>
              </div>
            </li>
          ))}
        </ul>
      )}
      {editing && (
        <CannedDialog
          site={site}
          projectKey={projectKey}
          canned={editing === 'new' ? null : editing}
          onClose={() => setEditing(null)}
          onSaved={(c, isNew) => {
            setEditing(null);
            setNotice(isNew ? `“${c.title}” is added.` : `“${c.title}” is saved.`);
          }}
        />
      )}
      {deleting && (
        <ModalDialog alert title={`Delete “${deleting.title}”?`} onClose={() => setDeleting(null)}>
          <p>Agents of {projectKey} will no longer be able to insert it. Replies already sent keep their text.</p>
          {remove.isError && <Alert>{errorText(remove.error)}</Alert>}
          <DialogActions>
            <Button variant="primary" isDisabled={remove.isPending} onPress={() => remove.mutate(deleting)}>
              Delete
            </Button>
            <Button onPress={() => setDeleting(null)}>Cancel</Button>
          </DialogActions>
        </ModalDialog>
      )}
    </>
  );
}

function CannedDialog({
  site,
  projectKey,
  canned,
  onClose,
  onSaved,
}: {
  site: string;
  projectKey: string;
  canned: Canned | null;
  onClose: () => void;
  onSaved: (c: Canned, isNew: boolean) => void;
}) {
  const client = useQueryClient();
  const [title, setTitle] = useState(canned?.title ?? '');
  const [body, setBody] = useState(canned?.body ?? '');
  const save = useMutation({
    mutationFn: () =>
      canned ? put<Canned>(`${url(site, projectKey)}/${enc(canned.id)}`, { title, body }) : post<Canned>(url(site, projectKey), { title, body }),
    onSuccess: async (saved) => {
      await client.invalidateQueries({ queryKey: cannedKey(site, projectKey) });
      onSaved(saved, canned === null);
    },
  });
  const fieldErrors = (save.error as { errors?: Record<string, string> } | null)?.errors ?? {};
  return (
    <ModalDialog title={canned ? `Edit “${canned.title}”` : 'Add a canned response'} onClose={onClose}>
      <form
        className="agent-canned-form"
        onSubmit={(e: FormEvent) => {
          e.preventDefault();
          save.mutate();
        }}
      >
        {save.isError && <Alert>{errorText(save.error)}</Alert>}
        <TextField label="Title" value={title} onChange={setTitle} isRequired maxLength={100} error={fieldErrors.title} />
        <AriaTextField value={body} onChange={setBody} className="ui-field" isRequired isInvalid={Boolean(fieldErrors.body)}>
          <Label className="ui-label">Text</Label>
          <TextArea className="ui-input portal-textarea" rows={8} />
        </AriaTextField>
        <DialogActions>
          <Button type="submit" variant="primary" isDisabled={save.isPending}>
            {canned ? 'Save' : 'Add'}
          </Button>
          <Button onPress={onClose}>Cancel</Button>
        </DialogActions>
      </form>
    </ModalDialog>
  );
}
