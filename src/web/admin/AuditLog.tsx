import { useId, useState } from 'react';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { Button, DataTable, ErrorMessage, Loading, Pager, SelectField, TextField } from '../shared/ui';
import { useUrlSearch } from '../shared/useUrlSearch';
import { AUDIT_ACTIONS, PAGE_SIZE, adminApi, auditActionLabel, auditDetails, formatDateTime, keys, type AuditFilters } from './admin-api';
import { OrgLayout } from './OrgLayout';
import { NOT_ADMINISTERED } from './paths';

const ALL = '__all__';
const FILTER_OPTIONS = [{ id: ALL, label: 'All actions' }, ...AUDIT_ACTIONS];

export function OrgAuditLogPage({ orgId }: { orgId: string }) {
  return <OrgLayout orgId={orgId} title="Audit log">{(org) => <AuditLog orgId={org.id} />}</OrgLayout>;
}

/** The organization's audit log: who did what to whom, on which site, when and from where; newest first. */
export function AuditLog({ orgId }: { orgId: string }) {
  // the filters and the page live in the URL (a reload or a shared link opens the same view)
  const [search, setSearch] = useUrlSearch();
  const action = search.action ?? ALL;
  const applied: AuditFilters = {
    action: action === ALL ? undefined : action,
    actor: search.actor,
    target: search.target,
    from: search.from,
    to: search.to,
  };
  const start = Math.max(0, Number(search.start) || 0);
  const [actor, setActor] = useState(applied.actor ?? '');
  const [target, setTarget] = useState(applied.target ?? '');
  const [from, setFrom] = useState(applied.from ?? '');
  const [to, setTo] = useState(applied.to ?? '');
  const go = (next: AuditFilters, page = 0) => setSearch({ ...next, start: page });
  const log = useQuery({
    queryKey: [...keys.audit(orgId), { ...applied, start }],
    queryFn: () => adminApi.auditLog(orgId, { ...applied, start, limit: PAGE_SIZE }),
    placeholderData: keepPreviousData,
  });
  const page = log.data;
  const filtered = Object.values(applied).some(Boolean);

  return (
    <section aria-labelledby="audit-heading" className="adm-panel">
      <div className="adm-page-head">
        <div>
          <h2 id="audit-heading">Audit log</h2>
          <p className="adm-muted">Changes to portal customers and to this organization, newest first.</p>
        </div>
        <div className="adm-page-actions">
          <a className="ui-button ui-button-secondary" href={adminApi.auditExportUrl(orgId, applied)} download>
            Export CSV
          </a>
        </div>
      </div>
      <form
        className="adm-toolbar adm-audit-filters"
        aria-label="Filter the audit log"
        onSubmit={(e) => {
          e.preventDefault();
          go({ action: applied.action, actor: actor.trim(), target: target.trim(), from, to });
        }}
      >
        <SelectField label="Action" options={FILTER_OPTIONS} value={action} onChange={(id) => go({ ...applied, action: id === ALL ? undefined : id })} />
        <TextField label="Actor" description="Email or account id" value={actor} onChange={setActor} maxLength={320} />
        <TextField label="Target" description="Email or account id" value={target} onChange={setTarget} maxLength={320} />
        <DateInput label="From" value={from} onChange={setFrom} />
        <DateInput label="To" value={to} onChange={setTo} />
        <div className="adm-audit-filter-actions">
          <Button type="submit">Apply filters</Button>
          {filtered && (
            <Button
              variant="quiet"
              onPress={() => {
                setActor('');
                setTarget('');
                setFrom('');
                setTo('');
                go({});
              }}
            >
              Clear filters
            </Button>
          )}
        </div>
      </form>

      {log.isPending && <Loading label="Loading the audit log…" />}
      {log.isError && <ErrorMessage error={log.error} title="Could not load the audit log" byStatus={NOT_ADMINISTERED} />}
      {page && (
        <>
          <DataTable
            caption="Audit log"
            busy={log.isFetching}
            rows={page.values}
            rowKey={(e) => e.id}
            empty={filtered ? 'No events match these filters.' : 'No events yet.'}
            columns={[
              { header: 'Action', cell: (e) => auditActionLabel(e.action) },
              { header: 'Actor', cell: (e) => e.actor?.label ?? 'System' },
              {
                header: 'Target',
                cell: (e) =>
                  e.target ? (
                    <>
                      {e.target.label}
                      {e.target.email && <div className="adm-muted adm-small">{e.target.email}</div>}
                    </>
                  ) : (
                    '—'
                  ),
              },
              { header: 'Site', cell: (e) => e.site?.name ?? '—' },
              { header: 'Time', cell: (e) => <time dateTime={e.createdAt}>{formatDateTime(e.createdAt)}</time> },
              { header: 'IP address', cell: (e) => <span title={e.userAgent ?? undefined}>{e.ip ?? '—'}</span> },
              { header: 'Details', cell: (e) => <span className="adm-muted">{auditDetails(e.details)}</span> },
            ]}
          />
          <Pager
            summary={page.values.length > 0 ? `Showing ${page.start + 1}–${page.start + page.values.length}` : ''}
            hasPrevious={page.start > 0}
            hasNext={!page.isLastPage}
            onPrevious={() => go(applied, Math.max(0, page.start - PAGE_SIZE))}
            onNext={() => go(applied, page.start + PAGE_SIZE)}
          />
        </>
      )}
    </section>
  );
}

/** A day (YYYY-MM-DD): the browser's own date input, labelled like the other fields. */
function DateInput({ label, value, onChange }: { label: string; value: string; onChange: (v: string) => void }) {
  const id = useId();
  return (
    <div className="ui-field">
      <label className="ui-label" htmlFor={id}>
        {label}
      </label>
      <input id={id} className="ui-input" type="date" value={value} onChange={(e) => onChange(e.target.value)} />
    </div>
  );
}
