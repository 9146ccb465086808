import { useState, type FormEvent, type ReactNode } from 'react';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { FieldError, Label, TextArea, TextField as AriaTextField } from 'react-aria-components';
import { ApiError } from '../api';
import { useNavigate } from '@tanstack/react-router';
import { Link } from '../link';
import { PortalLayout } from '../shared/PortalLayout';
import { Alert, Button, Loading, PageHeading, TextField, LoadFailed } from '../shared/ui';
import { UserPicker, type PickerPerson } from '../components/UserPicker';
import { errorText } from '../shared/errors';
import { ArticleSuggestions } from './ArticleSuggestions';
import { portalApi, useLoginOn401, type FormField } from './portal-api';
import './portal.css';

/** The form of one request type: text fields, user-picker fields and "Share with". */
export function CreateRequestPage({ site, projectId, requestTypeId }: { site: string; projectId: string; requestTypeId: string }) {
  return (
    <PortalLayout site={site}>
      <CreateRequestContent site={site} projectId={projectId} requestTypeId={requestTypeId} />
    </PortalLayout>
  );
}

function CreateRequestContent({ site, projectId, requestTypeId }: { site: string; projectId: string; requestTypeId: string }) {
  const q = useQuery({
    queryKey: ['portal', site, 'request-type', projectId, requestTypeId],
    queryFn: () => portalApi.requestType(site, projectId, requestTypeId),
  });
  useLoginOn401(site, q.error);
  if (q.isPending) return <Loading />;
  if (q.isError) return <LoadFailed error={q.error} />;
  return (
    <>
      <nav aria-label="Breadcrumb" className="portal-breadcrumb">
        <Link to="/s/$site/servicedesk/customer/portals" params={{ site }}>Help center</Link> / <Link to="/s/$site/servicedesk/customer/portal/$projectId" params={{ site, projectId: q.data.portal.id }}>{q.data.portal.name}</Link>
      </nav>
      <PageHeading title={q.data.requestType.name} description={q.data.requestType.description} />
      <RequestForm site={site} projectId={q.data.portal.id} requestTypeId={q.data.requestType.id} fields={q.data.fields} />
    </>
  );
}

// A one-line field (the summary) holds at most 255 characters, counted as the server counts them
// (trimmed, in UTF-16 units). The form shows a counter and refuses more, rather than cutting the text.
const SHORT_TEXT_MAX = 255;
const textLength = (value: string | undefined) => (value ?? '').trim().length;
const isShortText = (f: FormField) => f.type !== 'user' && f.type !== 'multiuser' && f.type !== 'paragraph';

/**
 * A request type's form. In the help center the customer raises it for themselves; an agent raising
 * it for a caller (agent/RaiseRequestPage.tsx) passes `onBehalfOf` — null until a reporter is
 * chosen — with `onReporterError` to show a problem with that choice, and `onCreated` to go on from
 * the new request.
 */
export function RequestForm({
  site,
  projectId,
  requestTypeId,
  fields,
  onBehalfOf,
  onReporterError,
  onCreated,
  cancel,
}: {
  site: string;
  projectId: string;
  requestTypeId: string;
  fields: FormField[];
  onBehalfOf?: string | null;
  onReporterError?: (message: string | null) => void;
  onCreated?: (created: { key: string; portalId: string }) => void;
  /** where Cancel goes (default: the portal) */
  cancel?: ReactNode;
}) {
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  const [text, setText] = useState<Record<string, string>>({});
  const [people, setPeople] = useState<Record<string, PickerPerson[]>>({});
  const [shareWith, setShareWith] = useState<PickerPerson[]>([]);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [formError, setFormError] = useState<string | null>(null);
  const [submitting, setSubmitting] = useState(false);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const missing: Record<string, string> = {};
    for (const f of fields) {
      const empty = f.type === 'user' || f.type === 'multiuser' ? (people[f.fieldKey] ?? []).length === 0 : (text[f.fieldKey] ?? '').trim() === '';
      if (f.required && empty) missing[f.fieldKey] = `${f.label} is required.`;
      else if (isShortText(f) && textLength(text[f.fieldKey]) > SHORT_TEXT_MAX) {
        missing[f.fieldKey] = `${f.label} can be at most ${SHORT_TEXT_MAX} characters: it has ${textLength(text[f.fieldKey])}.`;
      }
    }
    setErrors(missing);
    const noReporter = onBehalfOf === null;
    onReporterError?.(noReporter ? 'Choose who the request is for.' : null);
    if (Object.keys(missing).length || noReporter) {
      setFormError(noReporter && !Object.keys(missing).length ? 'Choose who the request is for.' : 'Fill in the required fields.');
      return;
    }
    const values: Record<string, string | string[] | null> = {};
    for (const f of fields) {
      if (f.type === 'user') values[f.fieldKey] = people[f.fieldKey]?.[0]?.accountId ?? null;
      else if (f.type === 'multiuser') values[f.fieldKey] = (people[f.fieldKey] ?? []).map((p) => p.accountId);
      else values[f.fieldKey] = text[f.fieldKey] ?? '';
    }
    setSubmitting(true);
    setFormError(null);
    try {
      const created = await portalApi.raise(site, {
        projectId,
        requestTypeId,
        fields: values,
        participants: shareWith.map((p) => p.accountId),
        ...(onBehalfOf ? { onBehalfOf } : {}),
      });
      await queryClient.invalidateQueries({ queryKey: ['portal', site, 'requests'] });
      if (onCreated) return onCreated({ key: created.key, portalId: created.portal.id });
      void navigate({ to: '/s/$site/servicedesk/customer/portal/$projectId/$issueKey', params: { site, projectId: created.portal.id, issueKey: created.key } });
    } catch (err) {
      if (err instanceof ApiError && err.status === 401) {
        void navigate({ to: '/s/$site/servicedesk/customer/user/login', params: { site }, replace: true });
        return;
      }
      setFormError(errorText(err));
      if (err instanceof ApiError) {
        const byField = { ...err.errors };
        if (byField.requestParticipants) byField.shareWith = byField.requestParticipants;
        if (byField.raiseOnBehalfOf) onReporterError?.(byField.raiseOnBehalfOf);
        setErrors(byField);
      }
    } finally {
      setSubmitting(false);
    }
  };

  return (
    <div className="portal-create-layout">
    <form className="portal-form" onSubmit={submit} noValidate aria-label="Raise a request">
      {formError && <Alert>{formError}</Alert>}
      {fields.map((f) => {
        if (f.type === 'user' || f.type === 'multiuser') {
          const chosen = people[f.fieldKey] ?? [];
          return f.type === 'user' ? (
            <UserPicker
              key={f.fieldKey}
              label={f.label}
              site={site}
              fieldKey={f.fieldKey}
              projectId={projectId}
              value={chosen[0] ?? null}
              onChange={(v) => setPeople((p) => ({ ...p, [f.fieldKey]: v ? [v] : [] }))}
              isRequired={f.required}
              errorMessage={errors[f.fieldKey]}
            />
          ) : (
            <UserPicker
              key={f.fieldKey}
              multiple
              label={f.label}
              site={site}
              fieldKey={f.fieldKey}
              projectId={projectId}
              values={chosen}
              onChange={(v) => setPeople((p) => ({ ...p, [f.fieldKey]: v }))}
              isRequired={f.required}
              errorMessage={errors[f.fieldKey]}
            />
          );
        }
        if (f.type === 'paragraph') {
          return (
            <AriaTextField
              key={f.fieldKey}
              className="ui-field"
              value={text[f.fieldKey] ?? ''}
              onChange={(v) => setText((t) => ({ ...t, [f.fieldKey]: v }))}
              isRequired={f.required}
              isInvalid={Boolean(errors[f.fieldKey])}
              validationBehavior="aria"
            >
              <Label className="ui-label">
                {f.label}
                {f.required && <span aria-hidden="true" className="ui-required"> *</span>}
              </Label>
              <TextArea className="ui-input portal-textarea" rows={5} />
              <FieldError className="ui-field-error">{errors[f.fieldKey]}</FieldError>
            </AriaTextField>
          );
        }
        return (
          <TextField
            key={f.fieldKey}
            label={f.label}
            value={text[f.fieldKey] ?? ''}
            onChange={(v) => setText((t) => ({ ...t, [f.fieldKey]: v }))}
            isRequired={f.required}
            description={`${textLength(text[f.fieldKey])} of ${SHORT_TEXT_MAX} characters`}
            error={errors[f.fieldKey]}
          />
        );
      })}
      <UserPicker
        multiple
        label="Share with"
        site={site}
        fieldKey="participants"
        projectId={projectId}
        values={shareWith}
        onChange={setShareWith}
        description="People you share the request with can see it and follow its progress."
        errorMessage={errors.shareWith}
      />
      <div className="portal-form-actions">
        <Button type="submit" variant="primary" isDisabled={submitting}>
          {submitting ? 'Sending…' : 'Send'}
        </Button>
        {cancel ?? <Link to="/s/$site/servicedesk/customer/portal/$projectId" params={{ site, projectId: projectId }}>Cancel</Link>}
      </div>
    </form>
    <ArticleSuggestions site={site} projectId={projectId} summary={text.summary ?? ''} />
    </div>
  );
}
