import { useState } from 'react';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { Button, ErrorMessage, Loading, Pager, Status } from '../shared/ui';
import { PAGE_SIZE, adminApi, keys } from './admin-api';
import { BulkBar } from './BulkBar';
import { CustomerListDialogs } from './CustomerListDialogs';
import { CustomerTable } from './CustomerTable';
import { CustomerToolbar } from './CustomerToolbar';
import { ErasureRequests } from './ErasureRequests';
import { ImportCustomersDialog } from './ImportCustomersDialog';
import { NOT_ADMINISTERED } from './paths';
import { plural, useCustomerActions } from './useCustomerActions';
import { AccessUntilDialog } from './AccessLifecycle';
import { useCustomerListState } from './useCustomerListState';

/**
 * The portal customers of one site — the same component in both user-management experiences:
 * search, status filter, paging, row and bulk revoke/grant, import and export, and the row's More menu. Its
 * state is one reducer (useCustomerListState), what it does to customers one hook (useCustomerActions).
 */
export function CustomerList({ siteSlug, siteName, canDelete }: { siteSlug: string; siteName: string; canDelete: boolean }) {
  const { state, query, dispatch } = useCustomerListState();
  const { status, inactive, sort, start, selected } = state;
  const actions = useCustomerActions(siteSlug, state, dispatch);
  const [importing, setImporting] = useState(false);
  const [datingSelected, setDatingSelected] = useState(false);

  const list = useQuery({
    queryKey: [...keys.customers(siteSlug), { query, status, inactive, sort, start }],
    queryFn: () => adminApi.customers(siteSlug, { query, status, inactive, sort, start, limit: PAGE_SIZE }),
    placeholderData: keepPreviousData,
  });
  const page = list.data;
  const rows = page?.values ?? [];
  const exportHref = adminApi.exportUrl(siteSlug, { query, status, inactive });
  const from = page && page.total > 0 ? page.start + 1 : 0;
  const to = page ? page.start + rows.length : 0;

  return (
    <section className="adm-customers" aria-labelledby="portal-customers-heading">
      <div className="adm-page-head">
        <div>
          <h2 id="portal-customers-heading">Portal customers</h2>
          <p className="adm-muted">
            Portal-only customer accounts of {siteName}. They can log in to the site’s help center, raise requests and read
            knowledge-base articles.
          </p>
        </div>
        <div className="adm-page-actions">
          <Button onPress={() => setImporting(true)}>Import customers</Button>
          <a className="ui-button ui-button-secondary" href={exportHref} download>
            Export CSV
          </a>
        </div>
      </div>

      <ErasureRequests siteSlug={siteSlug} />

      <CustomerToolbar
        searchText={state.searchText}
        onSearch={(text) => dispatch({ type: 'search', text })}
        status={status}
        onStatus={(s) => dispatch({ type: 'filter', status: s })}
        inactive={inactive}
        onInactive={(value) => dispatch({ type: 'inactive', inactive: value })}
        sort={sort}
        onSort={(value) => dispatch({ type: 'sort', sort: value })}
      />

      <Status>{state.message}</Status>

      {selected.size > 0 && (
        <BulkBar
          count={selected.size}
          pending={actions.preview.isPending}
          onRevoke={() => actions.startBulk('revoke')}
          onGrant={() => actions.startBulk('grant')}
          onUntil={() => {
            actions.bulkUntil.reset();
            setDatingSelected(true);
          }}
          onClear={() => dispatch({ type: 'clear-selection' })}
        />
      )}

      {list.isPending && <Loading label="Loading customers…" />}
      {list.isError && <ErrorMessage error={list.error} title="Could not load the customers" byStatus={NOT_ADMINISTERED} />}

      {page && (
        <>
          <CustomerTable
            caption={`Portal customers of ${siteName}`}
            rows={rows}
            selected={selected}
            busy={list.isFetching}
            empty={query || status !== 'all' || inactive ? 'No customers match your search.' : 'This site has no portal customers yet.'}
            canDelete={canDelete}
            onToggle={(customers, on) => dispatch({ type: 'toggle', customers, on })}
            onAction={actions.openRow}
          />
          <Pager
            summary={`Showing ${from}–${to} of ${page.total}`}
            hasPrevious={page.start > 0}
            hasNext={!page.isLastPage}
            onPrevious={() => dispatch({ type: 'page', start: Math.max(0, page.start - PAGE_SIZE) })}
            onNext={() => dispatch({ type: 'page', start: page.start + PAGE_SIZE })}
          />
        </>
      )}

      <CustomerListDialogs state={state} actions={actions} siteSlug={siteSlug} />
      {datingSelected && selected.size > 0 && (
        <AccessUntilDialog
          title={`Access until for ${plural(selected.size, 'customer', 'customers')}`}
          current={null}
          canClear
          pending={actions.bulkUntil.isPending}
          error={actions.bulkUntil.error}
          onSubmit={(until, note) => actions.bulkUntil.mutate({ until, note }, { onSuccess: () => setDatingSelected(false) })}
          onClose={() => setDatingSelected(false)}
        />
      )}
      {importing && (
        <ImportCustomersDialog
          siteSlug={siteSlug}
          siteName={siteName}
          onClose={() => setImporting(false)}
          onImported={(r) => {
            setImporting(false);
            dispatch({
              type: 'message',
              text: `Imported ${r.created} ${r.created === 1 ? 'customer' : 'customers'} (${r.present} already customers, ${r.refused} refused).`,
            });
          }}
        />
      )}
    </section>
  );
}
