import { useEffect, useState } from 'react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Label, TextArea, TextField as AriaTextField, Text, FieldError } from 'react-aria-components';
import { ApiError } from '../api';
import { Alert, Button, ErrorMessage, Loading, SelectField, Status, TextField } from '../shared/ui';
import { errorText } from '../shared/errors';
import { adminApi, keys, type MailTemplateParts, type NotificationEvent } from './admin-api';
import { NOT_ADMINISTERED } from './paths';

const EVENTS: Array<{ id: NotificationEvent; label: string }> = [
  { id: 'commented', label: 'A public reply' },
  { id: 'statusChanged', label: 'A status change' },
  { id: 'created', label: 'Raised on their behalf' },
  { id: 'shared', label: 'Shared with them' },
];

/**
 * The site's notification mail (docs/product.md#notifications): the template of the mail a
 * request's reporter and participants get, in three parts, with a preview of each event before it
 * is saved. Shown in the site's settings of both user-management experiences.
 */
export function NotificationTemplateSettings({ siteSlug, siteName }: { siteSlug: string; siteName: string }) {
  const queryClient = useQueryClient();
  const stored = useQuery({ queryKey: keys.notificationTemplate(siteSlug), queryFn: () => adminApi.notificationTemplate(siteSlug) });
  const [draft, setDraft] = useState<MailTemplateParts | null>(null);
  const [event, setEvent] = useState<NotificationEvent>('commented');
  const [message, setMessage] = useState('');
  useEffect(() => {
    if (stored.data && draft === null) setDraft({ subject: stored.data.subject, text: stored.data.text, html: stored.data.html });
  }, [stored.data, draft]);

  const preview = useMutation({ mutationFn: () => adminApi.previewNotificationTemplate(siteSlug, draft!, event) });
  const save = useMutation({
    mutationFn: () => adminApi.saveNotificationTemplate(siteSlug, draft!),
    onSuccess: (saved) => {
      queryClient.setQueryData(keys.notificationTemplate(siteSlug), saved);
      setMessage('Saved. The next notification uses this template.');
    },
  });
  const reset = useMutation({
    mutationFn: () => adminApi.resetNotificationTemplate(siteSlug),
    onSuccess: (saved) => {
      queryClient.setQueryData(keys.notificationTemplate(siteSlug), saved);
      setDraft({ subject: saved.subject, text: saved.text, html: saved.html });
      preview.reset();
      setMessage('The built-in template is back in use.');
    },
  });

  if (stored.isPending || draft === null) return stored.isError ? <ErrorMessage error={stored.error} title="Could not load the template" byStatus={NOT_ADMINISTERED} /> : <Loading label="Loading the template…" />;
  const failed = save.error ?? preview.error ?? reset.error;
  const fieldErrors = failed instanceof ApiError ? failed.errors : {};
  const change = (part: keyof MailTemplateParts) => (value: string) => {
    setDraft({ ...draft, [part]: value });
    setMessage('');
  };

  return (
    <section className="adm-section adm-mail-template" aria-labelledby="mail-template-heading">
      <h2 id="mail-template-heading">Notification mail</h2>
      <p className="adm-muted">
        {siteName} mails the reporter and participants of a request when it is raised on their behalf or shared with them, on each public reply and
        on status changes. {stored.data!.isDefault ? 'The built-in template is in use.' : 'This site uses its own template.'}
      </p>
      <details className="adm-template-help">
        <summary>Values you can use</summary>
        <p>
          Mustache: <code>{'{{site.name}}'}</code>, <code>{'{{site.url}}'}</code>, <code>{'{{recipient.name}}'}</code>, <code>{'{{actor.name}}'}</code>,{' '}
          <code>{'{{request.key}}'}</code>, <code>{'{{request.summary}}'}</code>, <code>{'{{request.status}}'}</code>, <code>{'{{request.url}}'}</code>,{' '}
          <code>{'{{comment.body}}'}</code>, <code>{'{{#comment.lines}}{{.}}<br>{{/comment.lines}}'}</code>, <code>{'{{change.from}}'}</code>,{' '}
          <code>{'{{change.to}}'}</code>, <code>{'{{unsubscribeUrl}}'}</code>; sections <code>{'{{#created}}…{{/created}}'}</code>,{' '}
          <code>{'{{#shared}}'}</code>, <code>{'{{#commented}}'}</code>, <code>{'{{#statusChanged}}'}</code>. Values are escaped in the HTML part.
        </p>
      </details>
      <TextField label="Subject" value={draft.subject} onChange={change('subject')} error={fieldErrors.subject} maxLength={500} />
      <TemplateArea label="Plain-text part" value={draft.text} onChange={change('text')} error={fieldErrors.text} rows={12} />
      <TemplateArea label="HTML part" value={draft.html} onChange={change('html')} error={fieldErrors.html} rows={12} />
      {failed && <Alert>{errorText(failed)}</Alert>}
      <div className="adm-row adm-wrap">
        <SelectField label="Preview as" options={EVENTS} value={event} onChange={(id) => setEvent(id as NotificationEvent)} />
        <Button onPress={() => { save.reset(); preview.mutate(); }} isDisabled={preview.isPending}>
          Preview
        </Button>
        <Button variant="primary" onPress={() => { preview.reset(); save.mutate(); }} isDisabled={save.isPending}>
          Save template
        </Button>
        <Button variant="quiet" onPress={() => reset.mutate()} isDisabled={reset.isPending || stored.data!.isDefault}>
          Use the built-in template
        </Button>
      </div>
      {message && <Status onDismiss={() => setMessage('')}>{message}</Status>}
      {preview.data && (
        <section className="adm-mail-preview" aria-labelledby="mail-preview-heading">
          <h3 id="mail-preview-heading">Preview</h3>
          <p>
            <strong>Subject:</strong> <span data-testid="preview-subject">{preview.data.subject}</span>
          </p>
          <h4>Plain text</h4>
          <pre className="adm-mail-text" data-testid="preview-text">{preview.data.text}</pre>
          <h4>HTML</h4>
          {/* sandboxed: no script in the preview runs (same origin only so that it is painted with the page) */}
          <iframe className="adm-mail-html" title="HTML part of the preview" sandbox="allow-same-origin" srcDoc={preview.data.html} />
        </section>
      )}
    </section>
  );
}

function TemplateArea({ label, value, onChange, error, rows }: { label: string; value: string; onChange: (v: string) => void; error?: string; rows: number }) {
  return (
    <AriaTextField value={value} onChange={onChange} isInvalid={Boolean(error)} validationBehavior="aria" className="ui-field">
      <Label className="ui-label">{label}</Label>
      <TextArea className="ui-input adm-template-area" rows={rows} spellCheck={false} />
      <Text slot="description" className="ui-description">
        Mustache template
      </Text>
      <FieldError className="ui-field-error">{error}</FieldError>
    </AriaTextField>
  );
}
