import { useState } from 'react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { Static } from 'typebox';
import { get, post } from '../api';
import { Alert, Button, DataTable, DateTime, DialogActions, ModalDialog, Status, TextField } from '../shared/ui';
import { errorText } from '../shared/errors';
import type { ErasureRequestSchema, ErasureReviewItemSchema, ErasureReviewPageSchema } from '../../http/schemas/own-data';
import { keys } from './admin-api';

type ReviewItem = Static<typeof ErasureReviewItemSchema>;
type ReviewPage = Static<typeof ErasureReviewPageSchema>;
type ErasureRequest = Static<typeof ErasureRequestSchema>;

const base = (site: string) => `/s/${encodeURIComponent(site)}/rest/portico/1/erasure-request`;

/**
 * Customers' pending requests to have their accounts erased (docs/product.md#own-data), above the
 * customer list in both user-management experiences: approve runs the customer delete ("Former
 * user (Deactivated)"), decline asks for a note mailed to the customer. Nothing shows when none is pending.
 */
export function ErasureRequests({ siteSlug }: { siteSlug: string }) {
  const queryClient = useQueryClient();
  const key = ['admin', 'erasure-requests', siteSlug];
  const list = useQuery<ReviewPage, Error>({ queryKey: key, queryFn: () => get(`${base(siteSlug)}?limit=50`) });
  const [confirm, setConfirm] = useState<{ item: ReviewItem; action: 'approve' | 'decline' } | null>(null);
  const [note, setNote] = useState('');
  const [message, setMessage] = useState<string | null>(null);
  const decide = useMutation<ErasureRequest, Error, { item: ReviewItem; action: 'approve' | 'decline'; note: string }>({
    mutationFn: ({ item, action, note: n }) => post(`${base(siteSlug)}/${encodeURIComponent(item.id)}/${action}`, action === 'decline' ? { note: n } : {}),
    onSuccess: (_r, { item, action }) => {
      setConfirm(null);
      setNote('');
      setMessage(action === 'approve' ? `${item.customer.displayName}’s account was erased.` : `${item.customer.displayName}’s erasure request was declined.`);
      void queryClient.invalidateQueries({ queryKey: key });
      void queryClient.invalidateQueries({ queryKey: keys.customers(siteSlug) });
    },
  });
  if (list.isError) return <Alert>{errorText(list.error)}</Alert>;
  const rows = list.data?.values ?? [];
  if (rows.length === 0 && !message) return null;
  return (
    <section aria-labelledby="erasure-requests-heading" className="adm-erasure-requests">
      <h3 id="erasure-requests-heading">Erasure requests</h3>
      <Status onDismiss={() => setMessage(null)}>{message}</Status>
      {rows.length > 0 && (
        <DataTable<ReviewItem>
          caption="Customers asking for their accounts to be erased"
          rows={rows}
          rowKey={(r) => r.id}
          empty="No pending erasure requests."
          columns={[
            { header: 'Customer', cell: (r) => <>{r.customer.displayName}{r.customer.emailAddress && <div className="adm-muted">{r.customer.emailAddress}</div>}</> },
            { header: 'Asked', cell: (r) => <DateTime value={r.requestedAt} /> },
            { header: 'Reason', cell: (r) => r.reason ?? <span className="adm-muted">None given</span> },
            {
              header: 'Actions',
              align: 'end',
              cell: (r) => (
                <div className="adm-row-actions">
                  <Button variant="danger" aria-label={`Approve erasure of ${r.customer.displayName}`} onPress={() => setConfirm({ item: r, action: 'approve' })}>
                    Approve
                  </Button>
                  <Button variant="secondary" aria-label={`Decline erasure of ${r.customer.displayName}`} onPress={() => setConfirm({ item: r, action: 'decline' })}>
                    Decline
                  </Button>
                </div>
              ),
            },
          ]}
        />
      )}
      {confirm && (
        <ModalDialog
          title={confirm.action === 'approve' ? `Erase ${confirm.item.customer.displayName}’s account?` : `Decline ${confirm.item.customer.displayName}’s request?`}
          alert
          onClose={() => setConfirm(null)}
        >
          {confirm.action === 'approve' ? (
            <p>
              The customer is deleted: their name, email and password are erased, their sessions end, and their requests show
              &ldquo;Former user (Deactivated)&rdquo;. This cannot be undone. They are told by mail.
            </p>
          ) : (
            <TextField label="Note to the customer" value={note} onChange={setNote} maxLength={2000} description="Mailed to the customer: say why." />
          )}
          {decide.error && <Alert>{errorText(decide.error)}</Alert>}
          <DialogActions>
            <Button
              variant={confirm.action === 'approve' ? 'danger' : 'primary'}
              isDisabled={decide.isPending}
              onPress={() => decide.mutate({ item: confirm.item, action: confirm.action, note })}
            >
              {confirm.action === 'approve' ? 'Erase account' : 'Decline request'}
            </Button>
            <Button variant="secondary" onPress={() => setConfirm(null)}>
              Cancel
            </Button>
          </DialogActions>
        </ModalDialog>
      )}
    </section>
  );
}
