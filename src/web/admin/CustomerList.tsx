import { useEffect, useMemo, useState } from 'react';
import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import {
  Button,
  Checkbox,
  Input,
  Label,
  ListBox,
  ListBoxItem,
  Menu,
  MenuItem,
  MenuTrigger,
  Popover,
  SearchField,
  Select,
  SelectValue,
} from 'react-aria-components';
import {
  PAGE_SIZE,
  adminApi,
  formatDate,
  formatDateTime,
  keys,
  statusLabel,
  type BulkAction,
  type BulkResult,
  type Customer,
  type StatusFilter,
} from './admin-api';
import { useDebouncedValue } from '../shared/useDebouncedValue';
import { ErrorMessage, Loading, SecondaryButton } from './components';
import { BulkDialog, ChangePasswordDialog, DeleteDialog, EditNameDialog, GrantDialog, RevokeDialog } from './CustomerDialogs';

type RowAction = 'password' | 'name' | 'revoke' | 'grant' | 'delete';

const STATUS_OPTIONS: Array<{ id: StatusFilter; label: string }> = [
  { id: 'all', label: 'All' },
  { id: 'active', label: 'Active' },
  { id: 'revoked', label: 'Access revoked' },
];

function plural(n: number, one: string, many: string) {
  return `${n} ${n === 1 ? one : many}`;
}

/**
 * The portal customers of one site — the same component in both user-management experiences:
 * search, status filter, paging, row and bulk revoke/grant, export, and the row's More menu.
 */
export function CustomerList({ siteSlug, siteName, canDelete }: { siteSlug: string; siteName: string; canDelete: boolean }) {
  const queryClient = useQueryClient();
  const [searchText, setSearchText] = useState('');
  const query = useDebouncedValue(searchText.trim(), 300);
  const [status, setStatus] = useState<StatusFilter>('all');
  const [start, setStart] = useState(0);
  // Selected customers with the label they had when ticked (the bulk dialog names people as they are now).
  const [selected, setSelected] = useState<Map<string, string>>(new Map());
  const [message, setMessage] = useState<string>('');
  const [dialog, setDialog] = useState<{ action: RowAction; customer: Customer } | null>(null);
  const [bulk, setBulk] = useState<{ action: BulkAction; accountIds: string[]; preview: BulkResult } | null>(null);

  // A new search or filter starts again at the first page with nothing selected.
  useEffect(() => {
    setStart(0);
    setSelected(new Map());
  }, [query, status]);

  const list = useQuery({
    queryKey: [...keys.customers(siteSlug), { query, status, start }],
    queryFn: () => adminApi.customers(siteSlug, { query, status, start, limit: PAGE_SIZE }),
    placeholderData: keepPreviousData,
  });

  const refresh = () => queryClient.invalidateQueries({ queryKey: keys.customers(siteSlug) });
  const closeDialog = () => {
    setDialog(null);
    rowMutation.reset();
  };

  const rowMutation = useMutation({
    mutationFn: async (input: { action: RowAction; customer: Customer; value?: string }): Promise<string> => {
      const { action, customer } = input;
      const name = customer.displayName;
      switch (action) {
        case 'revoke': {
          const r = await adminApi.revoke(siteSlug, customer.accountId);
          return r.changed ? `Access revoked for ${name}.` : `Access was already revoked for ${name}.`;
        }
        case 'grant': {
          const r = await adminApi.grant(siteSlug, customer.accountId);
          return r.changed ? `Access granted for ${name}.` : `${name} already had access.`;
        }
        case 'password':
          await adminApi.changePassword(siteSlug, customer.accountId, input.value ?? '');
          return `Password changed for ${name}.`;
        case 'name': {
          const r = await adminApi.changeName(siteSlug, customer.accountId, input.value ?? '');
          return `Full name of ${customer.email} changed to ${r.customer.displayName}.`;
        }
        case 'delete':
          await adminApi.deleteCustomer(siteSlug, customer.accountId);
          return `${name} was deleted.`;
      }
    },
    onSuccess: async (text, input) => {
      setMessage(text);
      setDialog(null);
      setSelected((s) => {
        if (input.action !== 'delete' || !s.has(input.customer.accountId)) return s;
        const next = new Map(s);
        next.delete(input.customer.accountId);
        return next;
      });
      await refresh();
    },
  });

  const preview = useMutation({
    mutationFn: (input: { action: BulkAction; accountIds: string[] }) => adminApi.bulk(siteSlug, input.action, input.accountIds, true),
    onSuccess: (result, input) => setBulk({ ...input, preview: result }),
    onError: (error) => setMessage(`Could not check the selected customers: ${error instanceof Error ? error.message : 'error'}`),
  });

  const bulkRun = useMutation({
    mutationFn: (input: { action: BulkAction; accountIds: string[] }) => adminApi.bulk(siteSlug, input.action, input.accountIds, false),
    onSuccess: async (result, input) => {
      const who = plural(result.changed, 'customer', 'customers');
      setMessage(input.action === 'revoke' ? `Access revoked for ${who}.` : `Access granted for ${who}.`);
      setBulk(null);
      setSelected(new Map());
      await refresh();
    },
  });

  const page = list.data;
  const rows = page?.values ?? [];
  const pageIds = useMemo(() => rows.map((r) => r.accountId), [rows]);
  const allOnPageSelected = pageIds.length > 0 && pageIds.every((id) => selected.has(id));
  const someOnPageSelected = pageIds.some((id) => selected.has(id));

  const toggle = (c: Customer, on: boolean) =>
    setSelected((s) => {
      const next = new Map(s);
      if (on) next.set(c.accountId, c.label);
      else next.delete(c.accountId);
      return next;
    });
  const toggleAll = (on: boolean) =>
    setSelected((s) => {
      const next = new Map(s);
      for (const c of rows) {
        if (on) next.set(c.accountId, c.label);
        else next.delete(c.accountId);
      }
      return next;
    });

  const startBulk = (action: BulkAction) => {
    setMessage('');
    bulkRun.reset();
    preview.mutate({ action, accountIds: [...selected.keys()] });
  };

  const openRowAction = (action: RowAction, customer: Customer) => {
    setMessage('');
    rowMutation.reset();
    setDialog({ action, customer });
  };

  const exportHref = adminApi.exportUrl(siteSlug, { query, status });
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
        <a className="adm-btn" href={exportHref} download>
          Export CSV
        </a>
      </div>

      <div className="adm-toolbar">
        <SearchField value={searchText} onChange={setSearchText} className="adm-search">
          <Label className="adm-label">Search by name or email</Label>
          <div className="adm-search-box">
            <Input className="adm-input" placeholder="Name or email" />
            {searchText && (
              <Button className="adm-search-clear" aria-label="Clear search">
                ×
              </Button>
            )}
          </div>
        </SearchField>
        <Select value={status} onChange={(k) => k && setStatus(k as StatusFilter)} className="adm-select">
          <Label className="adm-label">Status</Label>
          <Button className="adm-select-button">
            <SelectValue />
            <span aria-hidden="true">▾</span>
          </Button>
          <Popover className="adm-popover">
            <ListBox className="adm-listbox" items={STATUS_OPTIONS}>
              {(item) => (
                <ListBoxItem id={item.id} className="adm-option">
                  {item.label}
                </ListBoxItem>
              )}
            </ListBox>
          </Popover>
        </Select>
      </div>

      <div role="status" aria-live="polite" className={message ? 'adm-alert adm-alert-success' : 'adm-status-empty'}>
        {message}
      </div>

      {selected.size > 0 && (
        <div className="adm-bulkbar" role="toolbar" aria-label="Bulk actions">
          <span>{plural(selected.size, 'customer', 'customers')} selected</span>
          <Button className="adm-btn adm-btn-danger" onPress={() => startBulk('revoke')} isDisabled={preview.isPending}>
            Revoke access
          </Button>
          <Button className="adm-btn adm-btn-primary" onPress={() => startBulk('grant')} isDisabled={preview.isPending}>
            Grant access
          </Button>
          <SecondaryButton onPress={() => setSelected(new Map())}>Clear selection</SecondaryButton>
        </div>
      )}

      {list.isPending && <Loading what="customers" />}
      {list.isError && <ErrorMessage error={list.error} title="Could not load the customers" />}

      {page && (
        <>
          <table className="adm-table" aria-label={`Portal customers of ${siteName}`} aria-busy={list.isFetching}>
            <thead>
              <tr>
                <th scope="col" className="adm-col-check">
                  <Checkbox
                    aria-label="Select all customers on this page"
                    isSelected={allOnPageSelected}
                    isIndeterminate={someOnPageSelected && !allOnPageSelected}
                    onChange={toggleAll}
                    isDisabled={pageIds.length === 0}
                    className="adm-checkbox"
                  >
                    <CheckboxBox />
                  </Checkbox>
                </th>
                <th scope="col">Name</th>
                <th scope="col">Email</th>
                <th scope="col">Status</th>
                <th scope="col">Last active</th>
                <th scope="col">Created</th>
                <th scope="col">
                  <span className="adm-visually-hidden">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {rows.length === 0 && (
                <tr>
                  <td colSpan={7} className="adm-empty">
                    {query || status !== 'all' ? 'No customers match your search.' : 'This site has no portal customers yet.'}
                  </td>
                </tr>
              )}
              {rows.map((c) => (
                <tr key={c.accountId} className={selected.has(c.accountId) ? 'is-selected' : undefined}>
                  <td className="adm-col-check">
                    <Checkbox
                      aria-label={`Select ${c.email}`}
                      isSelected={selected.has(c.accountId)}
                      onChange={(on) => toggle(c, on)}
                      className="adm-checkbox"
                    >
                      <CheckboxBox />
                    </Checkbox>
                  </td>
                  <td>{c.label}</td>
                  <td>{c.email}</td>
                  <td>
                    <span className={c.status === 'active' ? 'adm-lozenge adm-lozenge-ok' : 'adm-lozenge adm-lozenge-off'}>
                      {statusLabel(c.status)}
                    </span>
                  </td>
                  <td>{formatDateTime(c.lastActiveAt)}</td>
                  <td>{formatDate(c.createdAt)}</td>
                  <td className="adm-col-actions">
                    <RowMenu customer={c} canDelete={canDelete} onAction={openRowAction} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>

          <div className="adm-pager">
            <span>
              Showing {from}–{to} of {page.total}
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

      {dialog?.action === 'revoke' && (
        <RevokeDialog
          customer={dialog.customer}
          pending={rowMutation.isPending}
          error={rowMutation.error}
          onConfirm={() => rowMutation.mutate({ action: 'revoke', customer: dialog.customer })}
          onClose={closeDialog}
        />
      )}
      {dialog?.action === 'grant' && (
        <GrantDialog
          customer={dialog.customer}
          pending={rowMutation.isPending}
          error={rowMutation.error}
          onConfirm={() => rowMutation.mutate({ action: 'grant', customer: dialog.customer })}
          onClose={closeDialog}
        />
      )}
      {dialog?.action === 'delete' && (
        <DeleteDialog
          customer={dialog.customer}
          pending={rowMutation.isPending}
          error={rowMutation.error}
          onConfirm={() => rowMutation.mutate({ action: 'delete', customer: dialog.customer })}
          onClose={closeDialog}
        />
      )}
      {dialog?.action === 'password' && (
        <ChangePasswordDialog
          customer={dialog.customer}
          pending={rowMutation.isPending}
          error={rowMutation.error}
          onSubmit={(password) => rowMutation.mutate({ action: 'password', customer: dialog.customer, value: password })}
          onClose={closeDialog}
        />
      )}
      {dialog?.action === 'name' && (
        <EditNameDialog
          customer={dialog.customer}
          pending={rowMutation.isPending}
          error={rowMutation.error}
          onSubmit={(displayName) => rowMutation.mutate({ action: 'name', customer: dialog.customer, value: displayName })}
          onClose={closeDialog}
        />
      )}
      {bulk && (
        <BulkDialog
          action={bulk.action}
          preview={bulk.preview}
          currentLabels={selected}
          pending={bulkRun.isPending}
          error={bulkRun.error}
          onConfirm={() => bulkRun.mutate({ action: bulk.action, accountIds: bulk.accountIds })}
          onClose={() => {
            setBulk(null);
            bulkRun.reset();
          }}
        />
      )}
    </section>
  );
}

function CheckboxBox() {
  return (
    <span className="adm-checkbox-box" aria-hidden="true">
      <svg viewBox="0 0 18 18">
        <polyline className="adm-check" points="3.5 9.5 7.5 13 14.5 5" />
        <line className="adm-dash" x1="4" y1="9" x2="14" y2="9" />
      </svg>
    </span>
  );
}

function RowMenu({ customer, canDelete, onAction }: { customer: Customer; canDelete: boolean; onAction: (a: RowAction, c: Customer) => void }) {
  const items: Array<{ id: RowAction; label: string; danger?: boolean }> = [
    { id: 'password', label: 'Change password' },
    { id: 'name', label: 'Edit full name' },
    customer.status === 'active' ? { id: 'revoke', label: 'Revoke access' } : { id: 'grant', label: 'Grant access' },
    ...(canDelete ? [{ id: 'delete' as const, label: 'Delete customer', danger: true }] : []),
  ];
  return (
    <MenuTrigger>
      <Button className="adm-btn adm-btn-icon" aria-label={`More actions for ${customer.email}`}>
        <span aria-hidden="true">•••</span>
      </Button>
      <Popover className="adm-popover" placement="bottom end">
        <Menu className="adm-menu" items={items} onAction={(key) => onAction(key as RowAction, customer)}>
          {(item) => (
            <MenuItem id={item.id} className={item.danger ? 'adm-menuitem adm-menuitem-danger' : 'adm-menuitem'}>
              {item.label}
            </MenuItem>
          )}
        </Menu>
      </Popover>
    </MenuTrigger>
  );
}
