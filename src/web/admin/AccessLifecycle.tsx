import { useEffect, useState, type FormEvent } from 'react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { LabelledCheckbox } from './Checkbox';
import { FieldError, Form, Input, Label, Text, TextArea, TextField as AriaTextField } from 'react-aria-components';
import { ApiError } from '../api';
import { Alert, Button, DialogActions, ErrorMessage, Loading, ModalDialog, Status, TextField } from '../shared/ui';
import { errorText } from '../shared/errors';
import { adminApi, formatDateTime, keys, type AccessNote, type AccessNotice, type AccessNoticeKind, type Customer } from './admin-api';
import { NOT_ADMINISTERED } from './paths';

// A customer's access lifecycle in the admin console (docs/product.md#reason-and-notice,
// #access-until): the reason and notice of a revoke or grant, dated access, and the site's notices.

/** The reason (optional) and the notice: mail it, with or without the reason. */
export function AccessNoteFields({ note, onChange, kind, error, count = 1 }: { note: AccessNote; onChange: (note: AccessNote) => void; kind: AccessNoticeKind; error?: unknown; /** customers the change is for: the bulk dialog names each, never "the customer" */ count?: number }) {
  const whom = count === 1 ? 'the customer' : 'each customer';
  const reasonError = error instanceof ApiError ? error.errors.reason : undefined;
  return (
    <div className="adm-access-note">
      <AriaTextField value={note.reason ?? ''} onChange={(reason) => onChange({ ...note, reason })} isInvalid={Boolean(reasonError)} validationBehavior="aria" className="ui-field">
        <Label className="ui-label">Reason (optional)</Label>
        <TextArea className="ui-input" rows={2} maxLength={1000} />
        <Text slot="description" className="ui-description">
          Kept in the audit log{kind === 'revoked' ? ' and shown in the customer list' : ''}.
        </Text>
        <FieldError className="ui-field-error">{reasonError}</FieldError>
      </AriaTextField>
      <LabelledCheckbox isSelected={note.notify === true} onChange={(notify) => onChange({ ...note, notify, includeReason: notify ? note.includeReason : false })}>
        {kind === 'revoked' ? `Mail ${whom} a notice that their access ended` : `Mail ${whom} a welcome-back notice`}
      </LabelledCheckbox>
      <LabelledCheckbox
        isSelected={note.includeReason === true}
        onChange={(includeReason) => onChange({ ...note, includeReason })}
        isDisabled={note.notify !== true || !(note.reason ?? '').trim()}
      >
        Include the reason in the notice
      </LabelledCheckbox>
    </div>
  );
}

/** `datetime-local` value (the browser's zone) ↔ ISO 8601. */
const toLocalInput = (iso: string | null) => {
  if (!iso) return '';
  const d = new Date(iso);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
};
const fromLocalInput = (value: string) => {
  const d = new Date(value);
  return Number.isNaN(d.getTime()) ? value : d.toISOString();
};

function UntilField({ value, onChange, error }: { value: string; onChange: (v: string) => void; error?: string }) {
  return (
    <AriaTextField value={value} onChange={onChange} isInvalid={Boolean(error)} validationBehavior="aria" className="ui-field" isRequired>
      <Label className="ui-label">Access until</Label>
      <Input className="ui-input" type="datetime-local" />
      <Text slot="description" className="ui-description">
        Your local time. Access is revoked within a minute of it.
      </Text>
      <FieldError className="ui-field-error">{error}</FieldError>
    </AriaTextField>
  );
}

/**
 * "Access until" of one customer or of the selected ones: the date, the reason and the notice the
 * revoke will carry then; "Remove the date" cancels it.
 */
export function AccessUntilDialog({
  title,
  current,
  canClear,
  pending,
  error,
  onSubmit,
  onClose,
}: {
  title: string;
  /** the date set now (one customer), if any */
  current: string | null;
  /** whether there is a date to remove (one customer: one is set; bulk: always) */
  canClear: boolean;
  pending: boolean;
  error: unknown;
  onSubmit: (until: string | null, note: AccessNote) => void;
  onClose: () => void;
}) {
  const [value, setValue] = useState(toLocalInput(current));
  const [note, setNote] = useState<AccessNote>({});
  const untilError = error instanceof ApiError ? error.errors.until : undefined;
  const send = (e: FormEvent) => {
    e.preventDefault();
    if (value) onSubmit(fromLocalInput(value), note);
  };
  return (
    <ModalDialog title={title} onClose={onClose}>
      <Form onSubmit={send} validationBehavior="aria" className="ui-form">
        {current && <p>Access currently ends {formatDateTime(current)}.</p>}
        <UntilField value={value} onChange={setValue} error={untilError} />
        <AccessNoteFields note={note} onChange={setNote} kind="revoked" error={error} />
        {error && !untilError && !(error instanceof ApiError && error.errors.reason) ? <Alert>{errorText(error, NOT_ADMINISTERED)}</Alert> : null}
        <DialogActions>
          <Button variant="primary" type="submit" isDisabled={pending || !value}>
            Set date
          </Button>
          <Button onPress={() => onSubmit(null, {})} isDisabled={pending || !canClear}>
            Remove the date
          </Button>
          <Button onPress={onClose} isDisabled={pending}>
            Cancel
          </Button>
        </DialogActions>
      </Form>
    </ModalDialog>
  );
}

/** The row's status cell: the lozenge, with the reason of a revoke (tooltip and screen-reader text) or the date access ends. */
export function AccessStatusNote({ customer }: { customer: Customer }) {
  if (customer.status === 'revoked' && customer.revokeReason) {
    return (
      <span className="adm-status-note" title={`Reason: ${customer.revokeReason}`}>
        Reason: {customer.revokeReason}
      </span>
    );
  }
  if (customer.status === 'active' && customer.accessUntil) {
    return <span className="adm-status-note">Until {formatDateTime(customer.accessUntil)}</span>;
  }
  return null;
}

const NOTICE_TITLES: Record<AccessNoticeKind, string> = { revoked: 'Revoke notice', granted: 'Welcome-back notice' };

/**
 * The site's revoke and welcome-back notices (docs/product.md#reason-and-notice): plain-text mail
 * in Mustache, with a preview for a made-up customer. Shown in the site's settings of both
 * user-management experiences, under the notification mail.
 */
export function AccessNoticeSettings({ siteSlug }: { siteSlug: string }) {
  const stored = useQuery({ queryKey: keys.accessNotices(siteSlug), queryFn: () => adminApi.accessNotices(siteSlug) });
  if (stored.isPending) return <Loading label="Loading the access notices…" />;
  if (stored.isError) return <ErrorMessage error={stored.error} title="Could not load the access notices" byStatus={NOT_ADMINISTERED} />;
  return (
    <section className="adm-section" aria-labelledby="access-notices-heading">
      <h2 id="access-notices-heading">Access notices</h2>
      <p className="adm-muted">
        Mailed to a customer when an admin revokes or grants their access and chooses to notify them (also when dated access ends). Values:{' '}
        <code>{'{{recipient.name}}'}</code>, <code>{'{{site.name}}'}</code>, <code>{'{{site.url}}'}</code>, and <code>{'{{#reason}}{{reason}}{{/reason}}'}</code> — shown only when
        the admin includes the reason.
      </p>
      {stored.data.map((n) => (
        <AccessNoticeEditor key={n.kind} siteSlug={siteSlug} notice={n} />
      ))}
    </section>
  );
}

function AccessNoticeEditor({ siteSlug, notice }: { siteSlug: string; notice: AccessNotice }) {
  const queryClient = useQueryClient();
  const [draft, setDraft] = useState({ subject: notice.subject, text: notice.text });
  const [message, setMessage] = useState('');
  useEffect(() => setDraft({ subject: notice.subject, text: notice.text }), [notice.subject, notice.text]);
  const refresh = () => queryClient.invalidateQueries({ queryKey: keys.accessNotices(siteSlug) });
  const save = useMutation({
    mutationFn: () => adminApi.saveAccessNotice(siteSlug, notice.kind, draft),
    onSuccess: async () => {
      setMessage(`${NOTICE_TITLES[notice.kind]} saved.`);
      await refresh();
    },
  });
  const reset = useMutation({
    mutationFn: () => adminApi.resetAccessNotice(siteSlug, notice.kind),
    onSuccess: async () => {
      setMessage(`${NOTICE_TITLES[notice.kind]}: the built-in wording is back in use.`);
      await refresh();
    },
  });
  const fieldErrors = save.error instanceof ApiError ? save.error.errors : {};
  const headingId = `access-notice-${notice.kind}`;
  return (
    <section className="adm-access-notice" aria-labelledby={headingId}>
      <h3 id={headingId}>
        {NOTICE_TITLES[notice.kind]} {notice.isDefault ? '(built-in)' : '(this site’s own)'}
      </h3>
      <TextField label={`${NOTICE_TITLES[notice.kind]} subject`} value={draft.subject} onChange={(subject) => setDraft({ ...draft, subject })} error={fieldErrors.subject} maxLength={500} />
      <AriaTextField value={draft.text} onChange={(text) => setDraft({ ...draft, text })} isInvalid={Boolean(fieldErrors.text)} validationBehavior="aria" className="ui-field">
        <Label className="ui-label">{NOTICE_TITLES[notice.kind]} text</Label>
        <TextArea className="ui-input adm-template-area" rows={8} spellCheck={false} />
        <FieldError className="ui-field-error">{fieldErrors.text}</FieldError>
      </AriaTextField>
      {save.error && !fieldErrors.subject && !fieldErrors.text ? <Alert>{errorText(save.error)}</Alert> : null}
      <div className="adm-row adm-wrap">
        <Button variant="primary" onPress={() => save.mutate()} isDisabled={save.isPending}>
          Save {NOTICE_TITLES[notice.kind].toLowerCase()}
        </Button>
        <Button variant="quiet" onPress={() => reset.mutate()} isDisabled={reset.isPending || notice.isDefault}>
          Use the built-in wording
        </Button>
      </div>
      {message && <Status onDismiss={() => setMessage('')}>{message}</Status>}
      <details className="adm-template-help">
        <summary>Preview of the saved {NOTICE_TITLES[notice.kind].toLowerCase()}</summary>
        <p>
          <strong>Subject:</strong> {notice.preview.subject}
        </p>
        <pre className="adm-mail-text">{notice.preview.text}</pre>
      </details>
    </section>
  );
}
