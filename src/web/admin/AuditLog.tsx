import { useState } from 'react';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { Button, Label, ListBox, ListBoxItem, Popover, Select, SelectValue } from 'react-aria-components';
import { AUDIT_ACTIONS, PAGE_SIZE, adminApi, auditActionLabel, auditDetails, formatDateTime, keys } from './admin-api';
import { ErrorMessage, Loading } from './components';

const ALL = '__all__';
const FILTER_OPTIONS = [{ id: ALL, label: 'All actions' }, ...AUDIT_ACTIONS];

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
        <Select
          value={action}
          onChange={(k) => {
            if (k === null) return;
            setAction(String(k));
            setStart(0);
          }}
          className="adm-select"
        >
          <Label className="adm-label">Action</Label>
          <Button className="adm-select-button">
            <SelectValue />
            <span aria-hidden="true">▾</span>
          </Button>
          <Popover className="adm-popover">
            <ListBox className="adm-listbox" items={FILTER_OPTIONS}>
              {(item) => (
                <ListBoxItem id={item.id} className="adm-option">
                  {item.label}
                </ListBoxItem>
              )}
            </ListBox>
          </Popover>
        </Select>
      </div>

      {log.isPending && <Loading what="the audit log" />}
      {log.isError && <ErrorMessage error={log.error} title="Could not load the audit log" />}
      {page && (
        <>
          <table className="adm-table" aria-label="Audit log" aria-busy={log.isFetching}>
            <thead>
              <tr>
                <th scope="col">Action</th>
                <th scope="col">Actor</th>
                <th scope="col">Target</th>
                <th scope="col">Site</th>
                <th scope="col">Time</th>
                <th scope="col">IP address</th>
                <th scope="col">Details</th>
              </tr>
            </thead>
            <tbody>
              {page.values.length === 0 && (
                <tr>
                  <td colSpan={7} className="adm-empty">
                    No events{filter ? ' of this kind' : ''} yet.
                  </td>
                </tr>
              )}
              {page.values.map((e) => (
                <tr key={e.id}>
                  <td>{auditActionLabel(e.action)}</td>
                  <td>{e.actor?.label ?? 'System'}</td>
                  <td>
                    {e.target ? (
                      <>
                        {e.target.label}
                        {e.target.email && <div className="adm-muted adm-small">{e.target.email}</div>}
                      </>
                    ) : (
                      '—'
                    )}
                  </td>
                  <td>{e.site?.name ?? '—'}</td>
                  <td>
                    <time dateTime={e.createdAt}>{formatDateTime(e.createdAt)}</time>
                  </td>
                  <td title={e.userAgent ?? undefined}>{e.ip ?? '—'}</td>
                  <td className="adm-muted">{auditDetails(e.details)}</td>
                </tr>
              ))}
            </tbody>
          </table>
          <div className="adm-pager">
            <span>
              {page.values.length > 0 ? `Showing ${page.start + 1}–${page.start + page.values.length}` : ''}
            </span>
            <div className="adm-pager-buttons">
              <Button className="adm-btn" isDisabled={page.start === 0} onPress={() => setStart(Math.max(0, page.start - PAGE_SIZE))}>
                Previous
              </Button>
              <Button className="adm-btn" isDisabled={page.isLastPage} onPress={() => setStart(page.start + PAGE_SIZE)}>
                Next
              </Button>
            </div>
          </div>
        </>
      )}
    </section>
  );
}
