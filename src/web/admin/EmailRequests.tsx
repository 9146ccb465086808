import { useState } from 'react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, Button, DataTable, DateTime, ErrorMessage, Loading, SelectField, Status, TextField } from '../shared/ui';
import { errorText } from '../shared/errors';
import { adminApi, keys, type InboundLog, type SiteMailboxes } from './admin-api';
import { NOT_ADMINISTERED } from './paths';

type ProjectRow = SiteMailboxes['projects'][number];
type LogEntry = InboundLog['values'][number];

const TLS_OPTIONS = [
  { id: 'on', label: 'TLS (imaps, usually port 993)' },
  { id: 'off', label: 'No TLS (usually port 143)' },
];

/**
 * Requests by email (docs/product.md#requests-by-email): each service project's incoming mailbox,
 * and the mail the mailboxes refused or ignored (sender, time, project, why). The password is
 * written, never shown.
 */
export function EmailRequestsSettings({ siteSlug, siteName }: { siteSlug: string; siteName: string }) {
  const mailboxes = useQuery({ queryKey: keys.mailboxes(siteSlug), queryFn: () => adminApi.mailboxes(siteSlug) });
  const log = useQuery({ queryKey: keys.inboundLog(siteSlug), queryFn: () => adminApi.inboundLog(siteSlug) });
  const [editing, setEditing] = useState<string | null>(null);
  const [message, setMessage] = useState('');

  if (mailboxes.isPending) return <Loading label="Loading the mailboxes…" />;
  if (mailboxes.isError) return <ErrorMessage error={mailboxes.error} title="Could not load the mailboxes" byStatus={NOT_ADMINISTERED} />;
  const { canSave, projects } = mailboxes.data;

  return (
    <section className="adm-section adm-email-requests" aria-labelledby="email-requests-heading">
      <h2 id="email-requests-heading">Email requests</h2>
      <p className="adm-muted">
        Mail to a project's mailbox raises a request for its sender, and a reply to {siteName}'s mail becomes a comment. Portico reads each mailbox
        every minute or so. Mail from revoked or unknown senders raises nothing and is listed below.
      </p>
      {!canSave && (
        <Alert tone="warning">
          No mailbox can be saved: PORTICO_SECRET_KEY is not set on the server, and Portico never stores a mailbox password unencrypted. Ask whoever
          runs Portico to set it (at least 32 characters) and restart it.
        </Alert>
      )}
      <DataTable<ProjectRow>
        caption="Service projects and their mailboxes"
        columns={[
          { header: 'Project', cell: (p) => `${p.name} (${p.key})` },
          {
            header: 'Mailbox',
            cell: (p) =>
              p.mailbox ? (
                <span>
                  {p.mailbox.user} at {p.mailbox.host}:{p.mailbox.port} ({p.mailbox.tls ? 'TLS' : 'no TLS'}), {p.mailbox.folder}
                </span>
              ) : (
                <span className="adm-muted">None</span>
              ),
          },
          {
            header: 'Last read',
            cell: (p) =>
              p.mailbox?.lastError ? (
                <span className="adm-error-text">Failed: {p.mailbox.lastError}</span>
              ) : (
                <DateTime value={p.mailbox?.lastPolledAt} fallback={p.mailbox ? 'Not yet' : '—'} />
              ),
          },
          {
            header: 'Actions',
            hideHeader: true,
            cell: (p) => (
              <Button isDisabled={!canSave} onPress={() => { setEditing(p.key); setMessage(''); }} aria-label={`Set the mailbox of ${p.name}`}>
                {p.mailbox ? 'Change' : 'Set mailbox'}
              </Button>
            ),
          },
        ]}
        rows={projects}
        rowKey={(p) => p.key}
        empty="This site has no service projects."
      />
      {editing && (
        <MailboxForm
          siteSlug={siteSlug}
          project={projects.find((p) => p.key === editing)!}
          onDone={(text) => {
            setEditing(null);
            setMessage(text);
          }}
        />
      )}
      {message && <Status onDismiss={() => setMessage('')}>{message}</Status>}

      <h3 id="inbound-log-heading">Mail not accepted</h3>
      {log.isPending && <Loading label="Loading the log…" />}
      {log.isError && <ErrorMessage error={log.error} title="Could not load the log" />}
      {log.data && (
        <DataTable<LogEntry>
          caption="Mail that was refused or ignored, newest first"
          columns={[
            { header: 'Received', cell: (e) => <DateTime value={e.receivedAt} /> },
            { header: 'Project', cell: (e) => e.projectKey },
            { header: 'From', cell: (e) => e.from },
            { header: 'Subject', cell: (e) => e.subject || '(no subject)' },
            { header: 'Outcome', cell: (e) => (e.outcome === 'refused' ? 'Refused (answered at most once a day)' : 'Ignored (not answered)') },
            { header: 'Why', cell: (e) => e.reason ?? '' },
          ]}
          rows={log.data.values}
          rowKey={(e) => e.id}
          empty="No mail has been refused or ignored."
        />
      )}
    </section>
  );
}

function MailboxForm({ siteSlug, project, onDone }: { siteSlug: string; project: ProjectRow; onDone: (message: string) => void }) {
  const queryClient = useQueryClient();
  const current = project.mailbox;
  const [host, setHost] = useState(current?.host ?? '');
  const [port, setPort] = useState(String(current?.port ?? 993));
  const [tls, setTls] = useState(current ? (current.tls ? 'on' : 'off') : 'on');
  const [user, setUser] = useState(current?.user ?? '');
  const [password, setPassword] = useState('');
  const [folder, setFolder] = useState(current?.folder ?? 'INBOX');
  const save = useMutation({
    mutationFn: () => adminApi.setMailbox(siteSlug, project.key, { host: host.trim(), port: Number(port), tls: tls === 'on', user: user.trim(), password, folder: folder.trim() || 'INBOX' }),
    onSuccess: async () => {
      await queryClient.invalidateQueries({ queryKey: keys.mailboxes(siteSlug) });
      onDone(`The mailbox of ${project.name} is saved. Portico reads it from now on.`);
    },
  });
  const remove = useMutation({
    mutationFn: () => adminApi.removeMailbox(siteSlug, project.key),
    onSuccess: async () => {
      await queryClient.invalidateQueries({ queryKey: keys.mailboxes(siteSlug) });
      onDone(`${project.name} no longer reads a mailbox.`);
    },
  });
  const portValid = /^\d{1,5}$/.test(port) && Number(port) >= 1 && Number(port) <= 65535;
  return (
    <form
      className="adm-mailbox-form"
      aria-labelledby="mailbox-form-heading"
      onSubmit={(e) => {
        e.preventDefault();
        save.mutate();
      }}
    >
      <h3 id="mailbox-form-heading">Mailbox of {project.name}</h3>
      <TextField label="IMAP server" value={host} onChange={setHost} isRequired maxLength={255} />
      <div className="adm-row adm-wrap">
        <TextField label="Port" value={port} onChange={setPort} isRequired maxLength={5} error={portValid ? undefined : 'A number from 1 to 65535.'} />
        <SelectField label="Security" options={TLS_OPTIONS} value={tls} onChange={setTls} />
      </div>
      <TextField label="User name" value={user} onChange={setUser} isRequired maxLength={320} autoComplete="off" />
      <TextField
        label="Password"
        type="password"
        value={password}
        onChange={setPassword}
        isRequired
        maxLength={1000}
        autoComplete="new-password"
        description={current ? 'Enter the password again to change the mailbox: it is stored encrypted and never shown.' : 'Stored encrypted, never shown.'}
      />
      <TextField label="Folder" value={folder} onChange={setFolder} maxLength={255} />
      {(save.error ?? remove.error) && <Alert>{errorText(save.error ?? remove.error)}</Alert>}
      <div className="adm-row adm-wrap">
        <Button type="submit" variant="primary" isDisabled={save.isPending || !portValid || !host.trim() || !user.trim() || !password}>
          Save mailbox
        </Button>
        {current && (
          <Button variant="quiet" onPress={() => remove.mutate()} isDisabled={remove.isPending}>
            Stop reading this mailbox
          </Button>
        )}
        <Button variant="quiet" onPress={() => onDone('')}>
          Cancel
        </Button>
      </div>
    </form>
  );
}
