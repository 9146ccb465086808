import { useState } from 'react';
import { CheckboxGroup, Label } from 'react-aria-components';
import { LabelledCheckbox } from './Checkbox';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, Button, DataTable, DateTime, ErrorMessage, Loading, Status, TextField } from '../shared/ui';
import { errorText } from '../shared/errors';
import { adminApi, keys, type WebhookDelivery, type WebhookSubscription } from './admin-api';
import { OrgLayout } from './OrgLayout';
import { NOT_ADMINISTERED } from './paths';

const EVENT_WORDS: Record<string, string> = {
  'customer.created': 'Customer created',
  'customer.updated': 'Customer changed',
  'customer.deleted': 'Customer deleted',
  'customer.access.revoked': 'Access revoked',
  'customer.access.granted': 'Access granted',
  'customer.access.warned': 'Warned of an automatic revoke',
  'access_review.started': 'Access review started',
  'access_review.completed': 'Access review completed',
  'access_review.cancelled': 'Access review cancelled',
};
const eventWords = (type: string) => EVENT_WORDS[type] ?? type;

const DELIVERY_STATUS: Record<WebhookDelivery['status'], string> = {
  pending: 'Waiting',
  delivered: 'Delivered',
  failed: 'Failed',
};

export function OrgWebhooksPage({ orgId }: { orgId: string }) {
  return <OrgLayout orgId={orgId} title="Webhooks">{(org) => <Webhooks orgId={org.id} />}</OrgLayout>;
}

/**
 * The organization's webhooks (docs/product.md#webhooks): endpoints that receive signed customer
 * events, each with its delivery log and a resend. The signing secret is shown once, when an
 * endpoint is added.
 */
export function Webhooks({ orgId }: { orgId: string }) {
  const queryClient = useQueryClient();
  const list = useQuery({ queryKey: keys.webhooks(orgId), queryFn: () => adminApi.webhooks(orgId) });
  const [adding, setAdding] = useState(false);
  const [secret, setSecret] = useState<{ url: string; secret: string } | null>(null);
  const [message, setMessage] = useState('');
  const [open, setOpen] = useState<string | null>(null);
  const refresh = () => queryClient.invalidateQueries({ queryKey: keys.webhooks(orgId) });
  const toggle = useMutation({
    mutationFn: (s: WebhookSubscription) => adminApi.updateWebhook(orgId, s.id, { enabled: !s.enabled }),
    onSuccess: async (s) => {
      await refresh();
      setMessage(s.enabled ? `Sending to ${s.url} again. Events that waited go out in order.` : `Stopped sending to ${s.url}.`);
    },
  });
  const remove = useMutation({
    mutationFn: (s: WebhookSubscription) => adminApi.deleteWebhook(orgId, s.id).then(() => s),
    onSuccess: async (s) => {
      if (open === s.id) setOpen(null);
      await refresh();
      setMessage(`${s.url} no longer receives events.`);
    },
  });

  return (
    <section aria-labelledby="webhooks-heading" className="adm-panel">
      <div className="adm-page-head">
        <div>
          <h2 id="webhooks-heading">Webhooks</h2>
          <p className="adm-muted">
            Endpoints that Portico tells when a customer is created, changed, deleted, revoked or granted access again, in every site of this
            organization. Each event is signed (Standard Webhooks), retried with growing waits until the endpoint takes it, and sent in order
            per customer. An endpoint that keeps failing is switched off and this organization's admins are told.
          </p>
        </div>
        {list.data?.canSave && !adding && (
          <Button variant="primary" onPress={() => { setAdding(true); setSecret(null); setMessage(''); }}>
            Add endpoint
          </Button>
        )}
      </div>
      {list.isPending && <Loading label="Loading the webhooks…" />}
      {list.isError && <ErrorMessage error={list.error} title="Could not load the webhooks" byStatus={NOT_ADMINISTERED} />}
      {list.data && !list.data.canSave && (
        <Alert tone="warning">
          No endpoint can be added: PORTICO_SECRET_KEY is not set on the server, and Portico never stores a signing secret unencrypted. Ask
          whoever runs Portico to set it (at least 32 characters) and restart it.
        </Alert>
      )}
      {adding && list.data && (
        <AddEndpointForm
          orgId={orgId}
          eventTypes={list.data.eventTypes}
          onDone={async (created) => {
            setAdding(false);
            if (created) {
              setSecret(created);
              await refresh();
            }
          }}
        />
      )}
      {secret && (
        <div className="adm-secret" role="region" aria-labelledby="webhook-secret-heading">
          <h3 id="webhook-secret-heading">Signing secret of {secret.url}</h3>
          <p>Copy it into the endpoint's configuration now: it is not shown again. The endpoint checks each event's signature with it.</p>
          <code className="adm-break" aria-label="Signing secret">{secret.secret}</code>
          <div className="adm-row">
            <Button onPress={() => setSecret(null)}>I have copied it</Button>
          </div>
        </div>
      )}
      {message && <Status onDismiss={() => setMessage('')}>{message}</Status>}
      {(toggle.error ?? remove.error) && <Alert>{errorText(toggle.error ?? remove.error)}</Alert>}
      {list.data && (
        <DataTable<WebhookSubscription>
          caption="Webhook endpoints"
          stackOnPhone
          rows={list.data.values}
          rowKey={(s) => s.id}
          empty="No endpoints yet."
          columns={[
            {
              header: 'Endpoint',
              cell: (s) => (
                <span className="adm-break">
                  {s.url}
                  {s.description && <span className="adm-muted"> — {s.description}</span>}
                </span>
              ),
            },
            { header: 'Events', cell: (s) => s.events.map(eventWords).join(', ') },
            {
              header: 'Status',
              cell: (s) =>
                s.enabled ? (
                  <span className="adm-lozenge adm-lozenge-ok">On</span>
                ) : (
                  <span>
                    <span className="adm-lozenge adm-lozenge-off">Switched off</span> <span className="adm-error-text">{s.disabledReason}</span>{' '}
                    <DateTime value={s.disabledAt} />
                  </span>
                ),
            },
            {
              header: 'Actions',
              hideHeader: true,
              cell: (s) => (
                <div className="adm-row adm-wrap adm-row-tight">
                  <Button onPress={() => setOpen(open === s.id ? null : s.id)} aria-label={`Deliveries to ${s.url}`} aria-expanded={open === s.id}>
                    Deliveries
                  </Button>
                  <Button onPress={() => toggle.mutate(s)} isDisabled={toggle.isPending} aria-label={`${s.enabled ? 'Switch off' : 'Switch on'} ${s.url}`}>
                    {s.enabled ? 'Switch off' : 'Switch on'}
                  </Button>
                  <Button variant="quiet" onPress={() => remove.mutate(s)} isDisabled={remove.isPending} aria-label={`Delete ${s.url}`}>
                    Delete
                  </Button>
                </div>
              ),
            },
          ]}
        />
      )}
      {open && list.data?.values.some((s) => s.id === open) && <DeliveryLog orgId={orgId} subscription={list.data.values.find((s) => s.id === open)!} />}
    </section>
  );
}

function AddEndpointForm({
  orgId,
  eventTypes,
  onDone,
}: {
  orgId: string;
  eventTypes: string[];
  onDone: (created: { url: string; secret: string } | null) => void;
}) {
  const [url, setUrl] = useState('');
  const [description, setDescription] = useState('');
  const [events, setEvents] = useState<string[]>(['customer.access.revoked', 'customer.access.granted']);
  const create = useMutation({
    mutationFn: () => adminApi.createWebhook(orgId, { url: url.trim(), description: description.trim(), events }),
    onSuccess: (created) => onDone({ url: created.url, secret: created.secret }),
  });
  return (
    <form
      className="adm-mailbox-form"
      aria-labelledby="webhook-form-heading"
      onSubmit={(e) => {
        e.preventDefault();
        create.mutate();
      }}
    >
      <h3 id="webhook-form-heading">New endpoint</h3>
      <TextField label="Endpoint URL" value={url} onChange={setUrl} isRequired maxLength={2000} type="url" description="Portico posts each event here (https:// recommended)." />
      <TextField label="Description" value={description} onChange={setDescription} maxLength={200} />
      <CheckboxGroup value={events} onChange={setEvents} className="adm-event-choices">
        <Label className="ui-label">Events</Label>
        {eventTypes.map((type) => (
          <LabelledCheckbox key={type} value={type}>
            {eventWords(type)} <code className="adm-muted">{type}</code>
          </LabelledCheckbox>
        ))}
      </CheckboxGroup>
      {create.error && <Alert>{errorText(create.error)}</Alert>}
      <div className="adm-row adm-wrap">
        <Button type="submit" variant="primary" isDisabled={create.isPending || !url.trim() || events.length === 0}>
          Add endpoint
        </Button>
        <Button variant="quiet" onPress={() => onDone(null)}>
          Cancel
        </Button>
      </div>
    </form>
  );
}

function DeliveryLog({ orgId, subscription }: { orgId: string; subscription: WebhookSubscription }) {
  const queryClient = useQueryClient();
  const key = [...keys.webhooks(orgId), subscription.id, 'deliveries'];
  const log = useQuery({ queryKey: key, queryFn: () => adminApi.webhookDeliveries(orgId, subscription.id), refetchInterval: 5000 });
  const [message, setMessage] = useState('');
  const resend = useMutation({
    mutationFn: (d: WebhookDelivery) => adminApi.resendWebhook(orgId, subscription.id, d.id),
    onSuccess: async () => {
      await queryClient.invalidateQueries({ queryKey: key });
      setMessage('Sent again: the new delivery is at the top of the log.');
    },
  });
  const headingId = `deliveries-${subscription.id}`;
  return (
    <section aria-labelledby={headingId} className="adm-section">
      <h3 id={headingId} className="adm-break">Deliveries to {subscription.url}</h3>
      {log.isPending && <Loading label="Loading the deliveries…" />}
      {log.isError && <ErrorMessage error={log.error} title="Could not load the deliveries" />}
      {message && <Status onDismiss={() => setMessage('')}>{message}</Status>}
      {resend.error && <Alert>{errorText(resend.error)}</Alert>}
      {log.data && (
        <DataTable<WebhookDelivery>
          caption={`Deliveries to ${subscription.url}, newest first`}
          stackOnPhone
          rows={log.data.values}
          rowKey={(d) => d.id}
          empty="Nothing was sent to this endpoint yet."
          columns={[
            { header: 'Created', cell: (d) => <DateTime value={d.createdAt} /> },
            { header: 'Event', cell: (d) => eventWords(d.eventType) + (d.resendOf ? ' (resent)' : '') },
            { header: 'Customer', cell: (d) => <span className="adm-break">{d.customerId}</span> },
            { header: 'Status', cell: (d) => DELIVERY_STATUS[d.status] },
            { header: 'Attempts', cell: (d) => String(d.attempts) },
            {
              header: 'Last answer',
              cell: (d) => (d.lastError ? <span className="adm-error-text">{d.lastError}</span> : d.lastStatusCode ? `HTTP ${d.lastStatusCode}` : '—'),
            },
            {
              header: 'Actions',
              hideHeader: true,
              cell: (d) => (
                <Button onPress={() => resend.mutate(d)} isDisabled={resend.isPending} aria-label={`Resend ${eventWords(d.eventType)} of ${d.customerId} (delivery ${d.id})`}>
                  Resend
                </Button>
              ),
            },
          ]}
        />
      )}
    </section>
  );
}
