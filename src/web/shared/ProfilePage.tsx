import { useState, type FormEvent } from 'react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Dialog, DialogTrigger, Form, Heading, Modal, ModalOverlay } from 'react-aria-components';
import { ApiError, del, get, post } from '../api';
import { StaffLayout } from './StaffHeader';
import type { ApiTokenList, ApiTokenSummary, CreatedApiToken as CreatedToken } from './useSession';
import { AccountDetails, Alert, Button, DataTable, DateTime, Loading, PageHeading, Status, TextField } from './ui';

const tokensKey = ['profile', 'tokens'] as const;

async function listTokens(): Promise<ApiTokenSummary[]> {
  return (await get<ApiTokenList>('/api/profile/tokens')).values;
}

function NewToken({ created, onDone }: { created: CreatedToken; onDone: () => void }) {
  const [copied, setCopied] = useState<string | null>(null);
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(created.token);
      setCopied('Copied to the clipboard.');
    } catch {
      setCopied('Copying is not available here: select the token and copy it.');
    }
  };
  return (
    <section className="ui-panel ui-panel-highlight" aria-labelledby="new-token-heading">
      <h2 id="new-token-heading">Your new API token{created.label ? `: ${created.label}` : ''}</h2>
      <p>Copy it now and keep it somewhere safe: it will not be shown again.</p>
      <div className="token-copy">
        <TextField label="New API token" value={created.token} onChange={() => undefined} isReadOnly className="token-value" />
        <Button variant="secondary" onPress={copy}>
          Copy
        </Button>
      </div>
      {copied && <Status>{copied}</Status>}
      <Button variant="primary" onPress={onDone}>
        Done
      </Button>
    </section>
  );
}

function RevokeButton({ token, onRevoked }: { token: ApiTokenSummary; onRevoked: (label: string) => void }) {
  const queryClient = useQueryClient();
  const name = token.label || 'Untitled token';
  const revoke = useMutation<void, Error, void>({
    mutationFn: () => del<void>(`/api/profile/tokens/${encodeURIComponent(token.id)}`),
    onSuccess: () => {
      void queryClient.invalidateQueries({ queryKey: tokensKey });
      onRevoked(name);
    },
  });
  return (
    <DialogTrigger>
      <Button variant="quiet" className="ui-button-danger-text" aria-label={`Revoke ${name}`}>
        Revoke
      </Button>
      <ModalOverlay className="ui-modal-overlay" isDismissable>
        <Modal className="ui-modal">
          <Dialog role="alertdialog" className="ui-dialog">
            {({ close }) => (
              <>
                <Heading slot="title">Revoke “{name}”?</Heading>
                <p>Scripts and integrations using this token stop working immediately. This cannot be undone.</p>
                {revoke.error && <Alert>{revoke.error.message}</Alert>}
                <div className="ui-dialog-actions">
                  <Button variant="danger" isDisabled={revoke.isPending} onPress={() => revoke.mutate(undefined, { onSuccess: close })}>
                    Revoke token
                  </Button>
                  <Button variant="secondary" onPress={close}>
                    Cancel
                  </Button>
                </div>
              </>
            )}
          </Dialog>
        </Modal>
      </ModalOverlay>
    </DialogTrigger>
  );
}

function ApiTokens() {
  const queryClient = useQueryClient();
  const tokens = useQuery<ApiTokenSummary[], Error>({ queryKey: tokensKey, queryFn: listTokens });
  const [label, setLabel] = useState('');
  const [created, setCreated] = useState<CreatedToken | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const create = useMutation<CreatedToken, Error, string>({
    mutationFn: (l) => post<CreatedToken>('/api/profile/tokens', { label: l }),
    onSuccess: (t) => {
      setCreated(t);
      setLabel('');
      setNotice(null);
      void queryClient.invalidateQueries({ queryKey: tokensKey });
    },
  });
  const fieldError = create.error instanceof ApiError ? create.error.errors.label : undefined;

  const submit = (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    if (!create.isPending) create.mutate(label.trim());
  };

  return (
    <section aria-labelledby="tokens-heading" className="ui-section">
      <h2 id="tokens-heading">API tokens</h2>
      <p className="ui-muted">
        Scripts use an API token instead of your password: Basic authentication with your email and the token, or <code>Authorization: Bearer</code>.
      </p>
      {notice && <Status onDismiss={() => setNotice(null)}>{notice}</Status>}
      {created && <NewToken created={created} onDone={() => setCreated(null)} />}
      <Form onSubmit={submit} className="ui-inline-form" aria-label="Create API token" validationBehavior="aria">
        <TextField label="Label" value={label} onChange={setLabel} maxLength={100} description="What the token is for, e.g. “Nightly export”." error={fieldError} />
        <Button type="submit" variant="primary" isDisabled={create.isPending}>
          Create token
        </Button>
      </Form>
      {create.error && !fieldError && <Alert>{create.error.message}</Alert>}
      {tokens.isPending ? (
        <Loading />
      ) : tokens.error ? (
        <Alert>{tokens.error.message}</Alert>
      ) : (
        <DataTable
          caption="Your API tokens"
          columns={[
            { header: 'Label', cell: (t: ApiTokenSummary) => t.label || <span className="ui-muted">Untitled token</span> },
            { header: 'Created', cell: (t) => <DateTime value={t.createdAt} /> },
            { header: 'Last used', cell: (t) => <DateTime value={t.lastUsedAt} fallback="Never" /> },
            { header: 'Actions', align: 'end', cell: (t) => <RevokeButton token={t} onRevoked={(n) => setNotice(`Token “${n}” revoked.`)} /> },
          ]}
          rows={tokens.data}
          rowKey={(t) => t.id}
          empty="You have no API tokens."
        />
      )}
    </section>
  );
}

/** `/profile`: who you are and your API tokens. */
export function ProfilePage() {
  return (
    <StaffLayout>
      {(session) => (
        <>
          <PageHeading title="Profile" />
          <AccountDetails account={session.account} />
          <ApiTokens />
        </>
      )}
    </StaffLayout>
  );
}
