import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { DataTable, ErrorMessage, Loading, Pager } from '../shared/ui';
import { useUrlSearch } from '../shared/useUrlSearch';
import { PAGE_SIZE, adminApi, formatDateTime, keys, type OutboxMail } from './admin-api';
import { OrgLayout } from './OrgLayout';
import { NOT_ADMINISTERED } from './paths';

const STATUS_WORDS: Record<OutboxMail['status'], string> = {
  kept: 'Kept (no mail server set up)',
  queued: 'Waiting to be sent',
  sent: 'Sent',
  failed: 'Could not be sent',
  cancelled: 'Not sent (recipient deactivated)',
};

export function OrgOutboxPage({ orgId }: { orgId: string }) {
  return <OrgLayout orgId={orgId} title="Outbox">{(org) => <Outbox orgId={org.id} />}</OrgLayout>;
}

/**
 * The organization's outgoing mail, newest first (docs/product.md#admin-console): without SMTP_URL
 * this is where mail is kept, and an admin reads a password-reset or notification mail here;
 * with SMTP it shows what became of each. The page lives in the URL.
 */
export function Outbox({ orgId }: { orgId: string }) {
  const [search, setSearch] = useUrlSearch();
  const start = Math.max(0, Number(search.start) || 0);
  const mail = useQuery({
    queryKey: [...keys.org(orgId), 'outbox', { start }],
    queryFn: () => adminApi.outbox(orgId, { start, limit: PAGE_SIZE }),
    placeholderData: keepPreviousData,
  });
  const page = mail.data;
  return (
    <section aria-labelledby="outbox-heading" className="adm-panel">
      <div className="adm-page-head">
        <div>
          <h2 id="outbox-heading">Outbox</h2>
          <p className="adm-muted">
            Mail this organization’s sites send — password resets, invitations, notifications — newest first. When no mail server is
            set up, mail is kept here instead of being sent.
          </p>
        </div>
      </div>
      {mail.isPending && <Loading label="Loading the outbox…" />}
      {mail.isError && <ErrorMessage error={mail.error} title="Could not load the outbox" byStatus={NOT_ADMINISTERED} />}
      {page && (
        <>
          <DataTable
            caption="Outbox"
            busy={mail.isFetching}
            rows={page.values}
            rowKey={(m) => m.id}
            empty="No mail yet."
            columns={[
              { header: 'To', cell: (m) => <span className="adm-break">{m.to}</span> },
              {
                header: 'Subject',
                cell: (m) => (
                  <details className="adm-mail">
                    <summary>{m.subject}</summary>
                    <pre className="adm-mail-body">{m.body}</pre>
                  </details>
                ),
              },
              { header: 'Site', cell: (m) => m.site?.slug ?? '—' },
              { header: 'Status', cell: (m) => STATUS_WORDS[m.status] + (m.lastError ? ` — ${m.lastError}` : '') },
              { header: 'Created', cell: (m) => <time dateTime={m.createdAt}>{formatDateTime(m.createdAt)}</time> },
            ]}
          />
          <Pager
            summary={page.values.length > 0 ? `Showing ${page.start + 1}–${page.start + page.values.length}` : ''}
            hasPrevious={page.start > 0}
            hasNext={!page.isLastPage}
            onPrevious={() => setSearch({ start: Math.max(0, page.start - PAGE_SIZE) })}
            onNext={() => setSearch({ start: page.start + PAGE_SIZE })}
          />
        </>
      )}
    </section>
  );
}
