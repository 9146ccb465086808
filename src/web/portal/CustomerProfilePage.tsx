import { useState } from 'react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { Static } from 'typebox';
import { del, get, post } from '../api';
import { PortalLayout } from '../shared/PortalLayout';
import { AccountDetails, Alert, Button, DateTime, DialogActions, Loading, ModalDialog, PageHeading, Status, TextField } from '../shared/ui';
import { errorText } from '../shared/errors';
import type { CustomerSession } from '../shared/useSession';
import type { ErasureRequestSchema, PendingErasureSchema } from '../../http/schemas/own-data';
import './portal.css';

type ErasureRequest = Static<typeof ErasureRequestSchema>;
type PendingErasure = Static<typeof PendingErasureSchema>;

const enc = encodeURIComponent;
const ownBase = (site: string, accountId: string) => `/s/${enc(site)}/rest/portico/1/customer/${enc(accountId)}`;

/**
 * The help center's profile (docs/product.md#own-data): who you are, "Download my data" (a JSON
 * file of everything Portico holds about you on this site) and "Erase my account" (a request the
 * site's admins decide; pending, it can be withdrawn).
 */
export function CustomerProfilePage({ site }: { site: string }) {
  return (
    <PortalLayout site={site}>
      {(session) => (
        <>
          <PageHeading title="Profile" />
          <AccountDetails account={session.account} />
          <OwnData site={site} session={session} />
        </>
      )}
    </PortalLayout>
  );
}

function OwnData({ site, session }: { site: string; session: CustomerSession }) {
  const base = ownBase(site, session.account.accountId);
  const queryClient = useQueryClient();
  const key = ['portal', site, 'erasure-request'];
  const pending = useQuery<PendingErasure, Error>({ queryKey: key, queryFn: () => get(`${base}/erasure-request`) });
  const [asking, setAsking] = useState(false);
  const [reason, setReason] = useState('');
  const [notice, setNotice] = useState<string | null>(null);
  const ask = useMutation<ErasureRequest, Error, string>({
    mutationFn: (r) => post(`${base}/erasure-request`, { reason: r }),
    onSuccess: (request) => {
      queryClient.setQueryData(key, { request });
      setAsking(false);
      setReason('');
      setNotice('Your erasure request was sent to the site\u2019s admins.');
    },
  });
  const withdraw = useMutation<void, Error, void>({
    mutationFn: () => del(`${base}/erasure-request`),
    onSuccess: () => {
      queryClient.setQueryData(key, { request: null });
      setNotice('Your erasure request was withdrawn.');
    },
  });
  const request = pending.data?.request ?? null;
  return (
    <>
      <section aria-labelledby="own-data-heading" className="ui-section">
        <h2 id="own-data-heading">Your data</h2>
        <p className="ui-muted">
          A JSON file of everything {session.site.name} holds about you: your profile, the requests you raised or take part in with their public
          comments, the names and sizes of their attachments, and your organizations.
        </p>
        <a className="ui-button ui-button-secondary" href={`${base}/personal-data`} download>
          Download my data
        </a>
      </section>
      <section aria-labelledby="erasure-heading" className="ui-section">
        <h2 id="erasure-heading">Erase my account</h2>
        {notice && <Status onDismiss={() => setNotice(null)}>{notice}</Status>}
        {pending.isPending ? (
          <Loading />
        ) : pending.isError ? (
          <Alert>{errorText(pending.error)}</Alert>
        ) : request ? (
          <div className="ui-panel" aria-label="Pending erasure request">
            <p>
              You asked for your account to be erased on <DateTime value={request.requestedAt} />. The site&rsquo;s admins have not decided yet.
            </p>
            {request.reason && <p className="ui-muted">Your reason: {request.reason}</p>}
            {withdraw.error && <Alert>{errorText(withdraw.error)}</Alert>}
            <Button variant="secondary" isDisabled={withdraw.isPending} onPress={() => withdraw.mutate()}>
              Withdraw the request
            </Button>
          </div>
        ) : (
          <>
            <p className="ui-muted">
              Once an admin approves, your name, email address and password are erased and you can no longer log in. Your requests stay with the
              help center, shown as &ldquo;Former user&rdquo;.
            </p>
            <Button variant="danger" onPress={() => setAsking(true)}>
              Ask to erase my account
            </Button>
          </>
        )}
      </section>
      <ModalDialog title="Erase your account?" alert isOpen={asking} onClose={() => setAsking(false)}>
        <p>The site&rsquo;s admins will be asked to erase your account. You can withdraw the request until they decide.</p>
        <TextField label="Reason (optional)" value={reason} onChange={setReason} maxLength={2000} />
        {ask.error && <Alert>{errorText(ask.error)}</Alert>}
        <DialogActions>
          <Button variant="danger" isDisabled={ask.isPending} onPress={() => ask.mutate(reason)}>
            Ask to erase my account
          </Button>
          <Button variant="secondary" onPress={() => setAsking(false)}>
            Cancel
          </Button>
        </DialogActions>
      </ModalDialog>
    </>
  );
}
