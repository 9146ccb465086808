import { useState, type FormEvent, type ReactNode } from 'react';
import { useQuery } from '@tanstack/react-query';
import { Form } from 'react-aria-components';
import { ApiError } from '../api';
import { Alert, Button, DialogActions, ModalDialog, TextField } from '../shared/ui';
import { errorText } from '../shared/errors';
import { adminApi, formatDateTime, type AccessFootprint, type AccessNote, type BulkAction, type BulkResult, type Customer } from './admin-api';
import { AccessNoteFields } from './AccessLifecycle';
import { NOT_ADMINISTERED } from './paths';

/**
 * The five consequences of the spec page, said about one customer or a few by name ("Alice Example
 * and 2 others"); `shown` is how the (first) customer will read once revoked, as the server labels it.
 */
export function RevokeConsequences({ name, shown, more = false }: { name: string; shown?: string; more?: boolean }) {
  return (
    <ol className="adm-consequences" aria-label="What revoking access does">
      <li>{name} will be unable to access the site’s portal anymore; open sessions end at once.</li>
      <li>{name} won’t be searchable and selectable in user-picker fields.</li>
      <li>
        User-picker fields that were previously filled with {name} will show “{shown ?? `${name} (Deactivated)`}”{more ? ', and so on' : ''}.
      </li>
      <li>The account will still be searchable in filters, however only by its email address.</li>
      <li>
        Access can be granted again at any time on this page: More actions › Grant access. All previous user references are
        kept.
      </li>
    </ol>
  );
}

const count = (n: number, one: string, many: string) => `${n.toLocaleString('en')} ${n === 1 ? one : many}`;

/**
 * What the revoke will touch, before anyone confirms it (docs/product.md#footprint): counts of open
 * requests reported, requests taken part in, user-picker values and live sessions, and when the
 * customer (or, in bulk, the latest of them) was last active.
 */
export function RevokeFootprint({ footprint, bulk = false }: { footprint: AccessFootprint | undefined; bulk?: boolean }) {
  // While the counts load, the same heading and lines hold their place with "…" for each figure, so
  // nothing below them (the reason, the notice, the buttons) moves when they arrive: a click aimed at
  // "Mail the customer a notice" as the dialog opened landed on the counts once they pushed it down.
  const figure = (n: (f: AccessFootprint) => number, one: string, many: string) => (footprint ? count(n(footprint), one, many) : `… ${many}`);
  return (
    <section className="adm-footprint" aria-label="What this revoke touches" aria-busy={footprint ? undefined : true}>
      <h3>What this revoke touches</h3>
      <ul>
        <li>{figure((f) => f.openRequestsReported, 'open request', 'open requests')} reported</li>
        <li>{figure((f) => f.requestsParticipating, 'request', 'requests')} taken part in</li>
        <li>{figure((f) => f.pickerFieldReferences, 'user-picker value', 'user-picker values')}</li>
        <li>
          {figure((f) => f.liveSessions, 'live session', 'live sessions')}
          {footprint && footprint.liveSessions > 0 ? ', ended at once' : ''}
        </li>
        <li>
          {bulk ? 'Last active (the latest of them)' : 'Last active'}: {!footprint ? '…' : footprint.lastActiveAt ? formatDateTime(footprint.lastActiveAt) : 'never'}
        </li>
      </ul>
    </section>
  );
}

function GrantConsequences({ name }: { name: string }) {
  return (
    <ul className="adm-consequences" aria-label="What granting access does">
      <li>{name} can log in to the site’s portal again with their existing password.</li>
      <li>{name} can be found and selected in user-picker fields again, and will no longer be shown as “(Deactivated)”.</li>
      <li>Every earlier reference — requests, participants, user-picker values, comments — is kept exactly as it was.</li>
      <li>Sessions from before access was revoked stay ended.</li>
    </ul>
  );
}

function DialogError({ error }: { error: unknown }) {
  if (!error) return null;
  return <Alert>{errorText(error, NOT_ADMINISTERED)}</Alert>;
}

interface ConfirmProps {
  customer: Customer;
  pending: boolean;
  error: unknown;
  /** a revoke's or grant's note: the reason and the notice (docs/product.md#reason-and-notice) */
  onConfirm: (note?: AccessNote) => void;
  onClose: () => void;
}

/** The confirmation of one consequential action on one customer: what it does, then the action or Cancel (focused). */
function ConfirmDialog({
  title,
  confirm,
  danger,
  pending,
  error,
  onConfirm,
  onClose,
  children,
}: Omit<ConfirmProps, 'customer'> & { title: string; confirm: string; danger?: boolean; children: ReactNode }) {
  return (
    <ModalDialog alert title={title} onClose={onClose}>
      {children}
      <DialogError error={error} />
      <DialogActions>
        <Button variant={danger ? 'danger' : 'primary'} onPress={() => onConfirm()} isDisabled={pending}>
          {confirm}
        </Button>
        <Button onPress={onClose} isDisabled={pending} autoFocus>
          Cancel
        </Button>
      </DialogActions>
    </ModalDialog>
  );
}

export function RevokeDialog({ customer, siteSlug, ...props }: ConfirmProps & { siteSlug: string }) {
  const name = customer.displayName;
  const footprint = useQuery({
    queryKey: ['admin', 'footprint', siteSlug, customer.accountId],
    queryFn: () => adminApi.footprint(siteSlug, customer.accountId),
    staleTime: 0,
  });
  const [note, setNote] = useState<AccessNote>({});
  return (
    <ConfirmDialog {...props} onConfirm={() => props.onConfirm(note)} title={`Revoke access for ${name}?`} confirm="Revoke access" danger>
      <p>
        {name} ({customer.email}) is a portal-only customer. If you revoke access:
      </p>
      <RevokeConsequences name={name} />
      {footprint.isError ? <Alert>{errorText(footprint.error, NOT_ADMINISTERED)}</Alert> : <RevokeFootprint footprint={footprint.data} />}
      <AccessNoteFields note={note} onChange={setNote} kind="revoked" error={props.error} />
    </ConfirmDialog>
  );
}

export function GrantDialog({ customer, ...props }: ConfirmProps) {
  const name = customer.displayName;
  const [note, setNote] = useState<AccessNote>({});
  return (
    <ConfirmDialog {...props} onConfirm={() => props.onConfirm(note)} title={`Grant access for ${name}?`} confirm="Grant access">
      <p>
        {name} ({customer.email}) currently can’t use the portal. If you grant access:
      </p>
      <GrantConsequences name={name} />
      <AccessNoteFields note={note} onChange={setNote} kind="granted" error={props.error} />
    </ConfirmDialog>
  );
}

export function DeleteDialog({ customer, ...props }: ConfirmProps) {
  const name = customer.displayName;
  return (
    <ConfirmDialog {...props} title={`Delete ${name}?`} confirm="Delete customer" danger>
      <p>
        <strong>This can’t be undone.</strong> {name}’s name and email address ({customer.email}) are erased and the account can
        never log in again.
      </p>
      <p>
        Requests, comments, participants, user-picker values and the audit log keep their reference to the account, shown as
        “Former user (Deactivated)”. To stop {name} using the portal but keep the option of letting them back, revoke access
        instead.
      </p>
    </ConfirmDialog>
  );
}

function fieldError(error: unknown, field: string): string | undefined {
  if (!error) return undefined;
  if (error instanceof ApiError) return error.errors[field] ?? error.message;
  return errorText(error, NOT_ADMINISTERED);
}

interface EditProps {
  customer: Customer;
  pending: boolean;
  error: unknown;
  onSubmit: (value: string) => void;
  onClose: () => void;
}

/** A dialog with one field: its form, then the submit button (enabled once there is something to send) and Cancel. */
function FieldDialog({
  title,
  submit,
  value,
  canSubmit,
  pending,
  onSubmit,
  onClose,
  children,
}: Omit<EditProps, 'customer' | 'error'> & { title: string; submit: string; value: string; canSubmit: boolean; children: ReactNode }) {
  const send = (e: FormEvent) => {
    e.preventDefault();
    onSubmit(value);
  };
  return (
    <ModalDialog title={title} onClose={onClose}>
      <Form onSubmit={send} validationBehavior="aria" className="ui-form">
        {children}
        <DialogActions>
          <Button variant="primary" type="submit" isDisabled={pending || !canSubmit}>
            {submit}
          </Button>
          <Button onPress={onClose} isDisabled={pending}>
            Cancel
          </Button>
        </DialogActions>
      </Form>
    </ModalDialog>
  );
}

export function ChangePasswordDialog({ customer, error, ...props }: EditProps) {
  const [password, setPassword] = useState('');
  return (
    <FieldDialog {...props} title={`Change password for ${customer.displayName}`} submit="Change password" value={password} canSubmit={password.length > 0}>
      <TextField
        label="New password"
        name="password"
        type="password"
        autoComplete="new-password"
        value={password}
        onChange={setPassword}
        isRequired
        autoFocus
        description="8 to 100 characters; common passwords are refused. The customer’s other sessions stay as they are."
        error={fieldError(error, 'password')}
      />
    </FieldDialog>
  );
}

export function EditNameDialog({ customer, error, ...props }: EditProps) {
  const [name, setName] = useState(customer.displayName);
  return (
    <FieldDialog {...props} title={`Edit full name of ${customer.email}`} submit="Save" value={name} canSubmit={name.trim().length > 0}>
      <TextField label="Full name" name="displayName" value={name} onChange={setName} isRequired autoFocus error={fieldError(error, 'displayName')} />
    </FieldDialog>
  );
}

/** "Change email" (docs/product.md#change-customer-email): the new address, which confirms by a mailed link. */
export function ChangeEmailDialog({ customer, error, ...props }: EditProps) {
  const [email, setEmail] = useState(customer.pendingEmail ?? '');
  return (
    <FieldDialog {...props} title={`Change email of ${customer.displayName}`} submit="Send confirmation link" value={email} canSubmit={email.trim().length > 0}>
      <p>
        Current address: {customer.email}
        {customer.pendingEmail ? `. Waiting for ${customer.pendingEmail} to confirm; a new address replaces that change.` : '.'}
      </p>
      <TextField
        label="New email address"
        name="email"
        type="email"
        autoComplete="off"
        value={email}
        onChange={setEmail}
        isRequired
        autoFocus
        maxLength={254}
        description="We mail a link to the new address. The email changes when it is opened; until then the customer keeps the current one. Their requests, password and access stay; their sessions end."
        error={fieldError(error, 'email')}
      />
    </FieldDialog>
  );
}

export function CancelEmailChangeDialog({ customer, ...props }: ConfirmProps) {
  return (
    <ConfirmDialog {...props} title={`Cancel the email change of ${customer.displayName}?`} confirm="Cancel email change">
      <p>
        The link mailed to {customer.pendingEmail} stops working, and {customer.displayName} keeps {customer.email}.
      </p>
    </ConfirmDialog>
  );
}

const OUTCOME_GROUPS: Record<BulkAction, Array<{ outcome: 'changed' | 'unchanged' | 'not_found'; heading: string }>> = {
  revoke: [
    { outcome: 'changed', heading: 'Access will be revoked for' },
    { outcome: 'unchanged', heading: 'Already revoked (no change)' },
    { outcome: 'not_found', heading: 'Not found (no change)' },
  ],
  grant: [
    { outcome: 'changed', heading: 'Access will be granted for' },
    { outcome: 'unchanged', heading: 'Already active (no change)' },
    { outcome: 'not_found', heading: 'Not found (no change)' },
  ],
};

/** "Alice Example", "Alice Example and Bob Builder", "Alice Example and 2 others". */
export function namesInWords(names: readonly string[]): string {
  if (names.length <= 1) return names[0] ?? '';
  if (names.length === 2) return `${names[0]} and ${names[1]}`;
  return `${names[0]} and ${names.length - 1} others`;
}

/** Bulk confirmation: shows the dry run's answer (who changes, who doesn't) before the real run. */
export function BulkDialog({
  action,
  preview,
  currentLabels,
  pending,
  error,
  onConfirm,
  onClose,
}: {
  action: BulkAction;
  preview: BulkResult;
  /** labels as the list showed them when selected; the dry run's own label is the one after the change */
  currentLabels: ReadonlyMap<string, string>;
  pending: boolean;
  error: unknown;
  onConfirm: (note: AccessNote) => void;
  onClose: () => void;
}) {
  const [note, setNote] = useState<AccessNote>({});
  const n = preview.changed;
  const verb = action === 'revoke' ? 'Revoke access' : 'Grant access';
  const changed = preview.results.filter((r) => r.outcome === 'changed');
  // the names as the list shows them now; the dry run's label is how the first will read after
  const names = changed.map((r) => currentLabels.get(r.accountId) ?? r.label ?? r.accountId);
  const who = namesInWords(names);
  const title = `${verb} for ${n} ${n === 1 ? 'customer' : 'customers'}?`;
  return (
    <ModalDialog alert title={title} onClose={onClose}>
      {action === 'revoke' && n > 0 && (
        <>
          <p>For {n === 1 ? who : `each of ${who}`}:</p>
          <RevokeConsequences name={who} shown={changed[0]?.label ?? undefined} more={n > 1} />
          {preview.footprint && <RevokeFootprint footprint={preview.footprint} bulk={n > 1} />}
        </>
      )}
      {action === 'grant' && n > 0 && <GrantConsequences name={namesInWords(changed.map((r) => r.label ?? r.accountId))} />}
      {n === 0 && <p>None of the selected customers would change.</p>}
      {OUTCOME_GROUPS[action].map(({ outcome, heading }) => {
        const rows = preview.results.filter((r) => r.outcome === outcome);
        if (rows.length === 0) return null;
        return (
          <section key={outcome} className="adm-bulk-group" aria-label={heading}>
            <h3>
              {heading} ({rows.length})
            </h3>
            <ul>
              {rows.map((r) => (
                <li key={r.accountId}>{currentLabels.get(r.accountId) ?? r.label ?? r.accountId}</li>
              ))}
            </ul>
          </section>
        );
      })}
      {n > 0 && <AccessNoteFields note={note} onChange={setNote} kind={action === 'revoke' ? 'revoked' : 'granted'} error={error} count={n} />}
      <DialogError error={error} />
      <DialogActions>
        {n > 0 && (
          <Button variant={action === 'revoke' ? 'danger' : 'primary'} onPress={() => onConfirm(note)} isDisabled={pending}>
            {verb}
          </Button>
        )}
        <Button onPress={onClose} isDisabled={pending} autoFocus>
          {n > 0 ? 'Cancel' : 'Close'}
        </Button>
      </DialogActions>
    </ModalDialog>
  );
}
