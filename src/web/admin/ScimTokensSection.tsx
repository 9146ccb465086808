import { useState, type FormEvent } from 'react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Form } from 'react-aria-components';
import { Button, DataTable, DateTime, ErrorMessage, Loading, Status, TextField } from '../shared/ui';
import { adminApi, keys } from './admin-api';
import { LabelledCheckbox } from './Checkbox';
import { NOT_ADMINISTERED } from './paths';

/**
 * The SCIM part of a site's Security tab (docs/product.md#scim-provisioning): the base URL an
 * identity provider is given, the site's SCIM tokens (label, created, last used, revoke) and
 * "Create token", whose secret is shown once. Changes made with a token read "SCIM ({label})" in the
 * organization's audit log. What a SCIM DELETE does — revoke (the default) or delete the customer,
 * which only organization admins may choose — is a checkbox here.
 */
export function ScimTokensSection({ siteSlug }: { siteSlug: string }) {
  const queryClient = useQueryClient();
  const settings = useQuery({ queryKey: keys.scim(siteSlug), queryFn: () => adminApi.scimSettings(siteSlug) });
  const [label, setLabel] = useState('');
  const [created, setCreated] = useState<{ label: string; token: string } | null>(null);
  const [message, setMessage] = useState('');
  const refresh = () => queryClient.invalidateQueries({ queryKey: keys.scim(siteSlug) });
  const create = useMutation({
    mutationFn: () => adminApi.createScimToken(siteSlug, label.trim()),
    onSuccess: (token) => {
      setCreated({ label: token.label, token: token.token });
      setLabel('');
      void refresh();
    },
  });
  const revoke = useMutation({
    mutationFn: (token: { id: string; label: string }) => adminApi.revokeScimToken(siteSlug, token.id),
    onSuccess: (_r, token) => {
      setMessage(`Token “${token.label}” revoked.`);
      void refresh();
    },
  });

  const onDelete = useMutation({
    mutationFn: (value: 'revoke' | 'delete') => adminApi.setScimOnDelete(siteSlug, value),
    onSuccess: (r) => {
      setMessage(r.onDelete === 'delete' ? 'A SCIM delete now deletes the customer.' : 'A SCIM delete now revokes the customer’s access.');
      void refresh();
    },
  });

  if (settings.isError) return <ErrorMessage error={settings.error} title="Could not load the SCIM settings" byStatus={NOT_ADMINISTERED} />;
  if (!settings.data) return <Loading label="Loading the SCIM settings…" />;
  const tokens = settings.data.tokens;
  return (
    <section className="adm-section" aria-labelledby="scim-heading">
      <h2 id="scim-heading">SCIM provisioning</h2>
      <p className="adm-muted">
        Your identity provider (Okta, Entra ID, …) creates, renames, deactivates and reactivates this site’s portal-only customers. Deactivating someone there revokes their portal
        access here. SCIM base URL: <code>{settings.data.baseUrl}</code>
      </p>
      <LabelledCheckbox isSelected={settings.data.onDelete === 'delete'} isDisabled={onDelete.isPending} onChange={(on) => onDelete.mutate(on ? 'delete' : 'revoke')}>
        Deleting a user in the identity provider deletes the customer
      </LabelledCheckbox>
      <p className="ui-description">
        Off: their portal access is revoked, and they stay findable by email (many providers delete a user when it is unassigned from the app). Only organization admins can turn this on.
      </p>
      {onDelete.isError ? <ErrorMessage error={onDelete.error} title="Could not change what a SCIM delete does" /> : null}
      <Form
        className="adm-inline-form"
        onSubmit={(e: FormEvent) => {
          e.preventDefault();
          setCreated(null);
          setMessage('');
          create.mutate();
        }}
      >
        <TextField label="Token label" description="Names the token in the audit log, e.g. Okta" value={label} onChange={setLabel} maxLength={100} />
        <Button type="submit" variant="primary" isDisabled={create.isPending}>
          Create token
        </Button>
      </Form>
      {create.isError ? <ErrorMessage error={create.error} title="Could not create the token" /> : null}
      {created ? (
        <div role="status" className="adm-token-once">
          <p>
            Copy the token “{created.label}” now: it is shown only once.
          </p>
          <code data-testid="scim-token">{created.token}</code>
        </div>
      ) : null}
      {message ? <Status onDismiss={() => setMessage('')}>{message}</Status> : null}
      <DataTable
        caption="SCIM tokens"
        showCaption
        stackOnPhone
        rows={tokens}
        rowKey={(t) => t.id}
        empty="No SCIM tokens yet."
        columns={[
          { header: 'Label', cell: (t) => t.label },
          { header: 'Created', cell: (t) => <DateTime value={t.createdAt} /> },
          { header: 'Last used', cell: (t) => <DateTime value={t.lastUsedAt} fallback="Never" /> },
          {
            header: 'Status',
            cell: (t) =>
              t.revokedAt ? (
                'Revoked'
              ) : (
                <Button variant="secondary" aria-label={`Revoke token ${t.label}`} isDisabled={revoke.isPending} onPress={() => revoke.mutate({ id: t.id, label: t.label })}>
                  Revoke
                </Button>
              ),
          },
        ]}
      />
    </section>
  );
}
