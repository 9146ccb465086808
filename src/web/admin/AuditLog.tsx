import { useState } from 'react';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { DataTable, ErrorMessage, Loading, Pager, SelectField } from '../shared/ui';
import { AUDIT_ACTIONS, PAGE_SIZE, adminApi, auditActionLabel, auditDetails, formatDateTime, keys } from './admin-api';
import { OrgLayout } from './OrgLayout';
import { NOT_ADMINISTERED } from './paths';

const ALL = '__all__';
const FILTER_OPTIONS = [{ id: ALL, label: 'All actions' }, ...AUDIT_ACTIONS];

export function OrgAuditLogPage({ orgId }: { orgId: string }) {
  return <OrgLayout orgId={orgId} title="Audit log">{(org) => <AuditLog orgId={org.id} />}</OrgLayout>;
}

/** The organization's audit log: who did what to whom, on which site, when and from where; newest first. */
export function AuditLog({ orgId }: { orgId: string }) {
  const [action, setAction] = useState<string>(ALL);
  const [start, setStart] = useState(0);
  const filter = action === ALL ? undefined : action;
  const log = useQuery({
    queryKey: [...keys.audit(orgId), { action: filter, start }],
    queryFn: () => adminApi.auditLog(orgId, { action: filter, start, limit: PAGE_SIZE }),
    placeholderData: keepPreviousData,
  });
  const page = log.data;

  return (
    <section aria-labelledby="audit-heading" className="adm-panel">
      <div className="adm-page-head">
        <div>
          <h2 id="audit-heading">Audit log</h2>
          <p className="adm-muted">Changes to portal customers and to this organization, newest first.</p>
        </div>
      </div>
      <div className="adm-toolbar">
        <SelectField
          label="Action"
          options={FILTER_OPTIONS}
          value={action}
          onChange={(id) => {
            setAction(id);
            setStart(0);
          }}
        />
      </div>

      {log.isPending && <Loading label="Loading the audit log…" />}
      {log.isError && <ErrorMessage error={log.error} title="Could not load the audit log" byStatus={NOT_ADMINISTERED} />}
      {page && (
        <>
          <DataTable
            caption="Audit log"
            busy={log.isFetching}
            rows={page.values}
            rowKey={(e) => e.id}
            empty={`No events${filter ? ' of this kind' : ''} yet.`}
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
            onPrevious={() => setStart(Math.max(0, page.start - PAGE_SIZE))}
            onNext={() => setStart(page.start + PAGE_SIZE)}
          />
        </>
      )}
    </section>
  );
}
