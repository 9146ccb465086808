import { useEffect, useState } from 'react';
import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { ApiError } from '../api';
import { Alert, Button, DataTable, DateTime, ErrorMessage, Loading, TextField } from '../shared/ui';
import { SettingsForm } from './SettingsForm';
import { LabelledCheckbox } from './Checkbox';
import { adminApi, keys, type InactivityPreview } from './admin-api';
import { NOT_ADMINISTERED } from './paths';

type PreviewCustomer = InactivityPreview['revoke']['customers'][number];
type Excluded = { accountId: string; displayName: string | null; email: string | null };

const whole = (v: string) => (/^\d{1,4}$/.test(v.trim()) ? Number(v) : NaN);
const nameOf = (c: { displayName: string | null; email: string | null; accountId: string }) => c.displayName ?? c.email ?? c.accountId;

/**
 * The inactivity policy on a site's Security tab (docs/product.md#inactivity-policy): on or off, the
 * days, the warning, the revoke notice and the excluded customers — and, before anything is switched
 * on, the dry run of what it would do today for the days typed ("Would be revoked today: …"), from
 * which a customer can be excluded. Saving sends everything; the server checks it again.
 */
export function InactivityPolicySection({ siteSlug }: { siteSlug: string }) {
  const queryClient = useQueryClient();
  const stored = useQuery({ queryKey: keys.inactivityPolicy(siteSlug), queryFn: () => adminApi.inactivityPolicy(siteSlug) });
  const [enabled, setEnabled] = useState(false);
  const [days, setDays] = useState('90');
  const [warn, setWarn] = useState('7');
  const [notify, setNotify] = useState(false);
  const [excluded, setExcluded] = useState<Excluded[]>([]);
  const [loaded, setLoaded] = useState(false);
  const [message, setMessage] = useState('');
  useEffect(() => {
    if (stored.data && !loaded) {
      setEnabled(stored.data.enabled);
      setDays(String(stored.data.inactiveDays));
      setWarn(String(stored.data.warnDays));
      setNotify(stored.data.notifyOnRevoke);
      setExcluded(stored.data.excluded);
      setLoaded(true);
    }
  }, [stored.data, loaded]);

  const n = whole(days);
  const m = whole(warn);
  const daysProblem = Number.isInteger(n) && n >= 1 && n <= 3650 ? undefined : 'Enter a whole number of days from 1 to 3650.';
  const warnProblem = daysProblem || (Number.isInteger(m) && m >= 0 && m < n) ? undefined : `Enter a whole number of days from 0 (no warning) to ${n - 1}.`;
  const valid = !daysProblem && !warnProblem;

  const preview = useQuery({
    queryKey: keys.inactivityPreview(siteSlug, n, m),
    queryFn: () => adminApi.inactivityPreview(siteSlug, n, m),
    enabled: loaded && valid,
    placeholderData: keepPreviousData,
  });
  const save = useMutation({
    mutationFn: () => adminApi.saveInactivityPolicy(siteSlug, { enabled, inactiveDays: n, warnDays: m, notifyOnRevoke: notify, excludedAccountIds: excluded.map((c) => c.accountId) }),
    onSuccess: (saved) => {
      queryClient.setQueryData(keys.inactivityPolicy(siteSlug), saved);
      setExcluded(saved.excluded);
      void queryClient.invalidateQueries({ queryKey: keys.inactivityPolicy(siteSlug) });
      setMessage(saved.enabled ? 'Saved. The policy is on.' : 'Saved. The policy is off.');
    },
  });

  if (stored.isError) return <ErrorMessage error={stored.error} title="Could not load the inactivity policy" byStatus={NOT_ADMINISTERED} />;
  if (!loaded) return <Loading label="Loading the inactivity policy…" />;
  const fieldErrors = save.error instanceof ApiError ? save.error.errors : {};
  const changed = () => setMessage('');
  const isExcluded = new Set(excluded.map((c) => c.accountId));
  const exclude = (c: PreviewCustomer) => {
    setExcluded((list) => [...list, { accountId: c.accountId, displayName: c.displayName, email: c.email }]);
    changed();
  };
  const group = (g: InactivityPreview['revoke']) => {
    const shown = g.customers.filter((c) => !isExcluded.has(c.accountId));
    return { shown, total: g.total - (g.customers.length - shown.length) };
  };
  const revoke = preview.data ? group(preview.data.revoke) : undefined;
  const warned = preview.data ? group(preview.data.warn) : undefined;
  const columns = (verb: string) => [
    { header: 'Customer', cell: (c: PreviewCustomer) => <span>{nameOf(c)}{c.email && c.displayName ? <span className="adm-muted"> {c.email}</span> : null}</span> },
    { header: 'Last active', cell: (c: PreviewCustomer) => <DateTime value={c.lastActiveAt} fallback="Never" /> },
    { header: verb, cell: (c: PreviewCustomer) => <DateTime value={c.revokeOn} /> },
    {
      header: 'Exclude',
      cell: (c: PreviewCustomer) => (
        <Button variant="secondary" aria-label={`Exclude ${nameOf(c)}`} onPress={() => exclude(c)}>
          Exclude
        </Button>
      ),
    },
  ];

  return (
    <section className="adm-section" aria-labelledby="inactivity-heading">
      <h2 id="inactivity-heading">Inactivity policy</h2>
      <p className="adm-muted">
        Revokes the access of customers who have not used the help center for a number of days, after warning them by mail. A customer who never logged in counts from when their
        account was made; a grant starts the count again. Each revoke is in the audit log as “Automatic policy”, with the reason.
      </p>
      <SettingsForm
        onSave={() => save.mutate()}
        saveLabel="Save inactivity policy"
        canSave={valid}
        saving={save.isPending}
        error={save.isError && !fieldErrors.inactiveDays && !fieldErrors.warnDays && !fieldErrors.excludedAccountIds ? save.error : null}
        message={message}
        onDismissMessage={() => setMessage('')}
      >
        <LabelledCheckbox
          isSelected={enabled}
          onChange={(v) => {
            setEnabled(v);
            changed();
          }}
        >
          Revoke inactive customers automatically
        </LabelledCheckbox>
        <TextField
          label="Revoke after this many days without activity"
          type="text"
          value={days}
          onChange={(v) => {
            setDays(v);
            changed();
          }}
          error={fieldErrors.inactiveDays ?? daysProblem}
          description="1 to 3650 days."
        />
        <TextField
          label="Warn by mail this many days before"
          type="text"
          value={warn}
          onChange={(v) => {
            setWarn(v);
            changed();
          }}
          error={fieldErrors.warnDays ?? warnProblem}
          description="0 sends no warning. One warning per period of inactivity; logging in cancels it."
        />
        <LabelledCheckbox
          isSelected={notify}
          onChange={(v) => {
            setNotify(v);
            changed();
          }}
        >
          Mail the site’s revoke notice, with the reason, when a customer is revoked
        </LabelledCheckbox>

        <div aria-live="polite" aria-busy={preview.isFetching}>
          {!valid ? null : preview.isError ? (
            <ErrorMessage error={preview.error} title="Could not run the dry run" />
          ) : !revoke || !warned ? (
            <Loading label="Working out who would be affected…" />
          ) : (
            <>
              <h3 className="adm-subheading">
                Would be revoked today: {revoke.total === 0 ? 'nobody' : `${revoke.total} customer${revoke.total === 1 ? '' : 's'}`}
              </h3>
              {revoke.shown.length > 0 && <DataTable caption="Would be revoked today" stackOnPhone rows={revoke.shown} rowKey={(c) => c.accountId} empty="Nobody." columns={columns('Revoked on')} />}
              <h3 className="adm-subheading">
                Would be warned today: {warned.total === 0 ? 'nobody' : `${warned.total} customer${warned.total === 1 ? '' : 's'}`}
              </h3>
              {warned.shown.length > 0 && <DataTable caption="Would be warned today" stackOnPhone rows={warned.shown} rowKey={(c) => c.accountId} empty="Nobody." columns={columns('Revoked on unless active')} />}
              {preview.data?.more ? <p className="adm-muted">More than 10,000 customers are inactive: the counts are at least these.</p> : null}
            </>
          )}
        </div>

        <h3 className="adm-subheading">Excluded customers</h3>
        {excluded.length === 0 ? (
          <p className="adm-muted">Nobody is excluded. Exclude a customer from the lists above.</p>
        ) : (
          <ul className="adm-excluded">
            {excluded.map((c) => (
              <li key={c.accountId}>
                <span>{nameOf(c)}</span>
                <Button
                  variant="secondary"
                  aria-label={`Stop excluding ${nameOf(c)}`}
                  onPress={() => {
                    setExcluded((list) => list.filter((x) => x.accountId !== c.accountId));
                    changed();
                  }}
                >
                  Remove
                </Button>
              </li>
            ))}
          </ul>
        )}
        {fieldErrors.excludedAccountIds ? <Alert>{fieldErrors.excludedAccountIds}</Alert> : null}
      </SettingsForm>
    </section>
  );
}
