import { CheckboxBox } from './Checkbox';
import { Checkbox, Menu, MenuItem, MenuTrigger, Popover } from 'react-aria-components';
import { Button, DataTable } from '../shared/ui';
import { formatDate, formatDateTime, statusLabel, type Customer } from './admin-api';
import type { RowAction } from './useCustomerListState';
import { AccessStatusNote } from './AccessLifecycle';

/**
 * One page of portal customers: a checkbox per row (and one for the whole page), name, email,
 * status, last active, created, and the row's More actions menu.
 */
export function CustomerTable({
  caption,
  rows,
  selected,
  busy,
  empty,
  canDelete,
  onToggle,
  onAction,
}: {
  caption: string;
  rows: Customer[];
  selected: ReadonlyMap<string, string>;
  busy: boolean;
  empty: string;
  canDelete: boolean;
  onToggle: (customers: Customer[], on: boolean) => void;
  onAction: (action: RowAction, customer: Customer) => void;
}) {
  const allOnPageSelected = rows.length > 0 && rows.every((c) => selected.has(c.accountId));
  const someOnPageSelected = rows.some((c) => selected.has(c.accountId));
  return (
    <DataTable
      caption={caption}
      busy={busy}
      rows={rows}
      rowKey={(c) => c.accountId}
      rowClassName={(c) => (selected.has(c.accountId) ? 'is-selected' : undefined)}
      empty={empty}
      columns={[
        {
          header: 'Select',
          className: 'adm-col-check',
          renderHeader: () => (
            <Checkbox
              aria-label="Select all customers on this page"
              isSelected={allOnPageSelected}
              isIndeterminate={someOnPageSelected && !allOnPageSelected}
              onChange={(on) => onToggle(rows, on)}
              isDisabled={rows.length === 0}
              className="adm-checkbox"
            >
              <CheckboxBox />
            </Checkbox>
          ),
          cell: (c) => (
            <Checkbox aria-label={`Select ${c.email}`} isSelected={selected.has(c.accountId)} onChange={(on) => onToggle([c], on)} className="adm-checkbox">
              <CheckboxBox />
            </Checkbox>
          ),
        },
        { header: 'Name', cell: (c) => c.label },
        {
          header: 'Email',
          cell: (c) => (
            <>
              {c.email}
              {c.pendingEmail && <span className="adm-status-note">Changing to {c.pendingEmail} (awaiting confirmation)</span>}
            </>
          ),
        },
        {
          header: 'Status',
          cell: (c) => (
            <>
              <span className={c.status === 'active' ? 'adm-lozenge adm-lozenge-ok' : 'adm-lozenge adm-lozenge-off'}>{statusLabel(c.status)}</span>
              <AccessStatusNote customer={c} />
            </>
          ),
        },
        { header: 'Last active', cell: (c) => formatDateTime(c.lastActiveAt) },
        { header: 'Created', cell: (c) => formatDate(c.createdAt) },
        {
          header: 'Actions',
          hideHeader: true,
          className: 'adm-col-actions',
          cell: (c) => <RowMenu customer={c} canDelete={canDelete} onAction={onAction} />,
        },
      ]}
    />
  );
}

function RowMenu({ customer, canDelete, onAction }: { customer: Customer; canDelete: boolean; onAction: (a: RowAction, c: Customer) => void }) {
  const items: Array<{ id: RowAction; label: string; danger?: boolean }> = [
    { id: 'password', label: 'Change password' },
    { id: 'name', label: 'Edit full name' },
    ...(customer.status === 'active' ? [{ id: 'email' as const, label: 'Change email' }] : []),
    ...(customer.pendingEmail ? [{ id: 'cancelEmail' as const, label: 'Cancel email change' }] : []),
    customer.status === 'active' ? { id: 'revoke', label: 'Revoke access' } : { id: 'grant', label: 'Grant access' },
    ...(customer.status === 'active' ? [{ id: 'until' as const, label: 'Set access until…' }] : []),
    ...(canDelete ? [{ id: 'delete' as const, label: 'Delete customer', danger: true }] : []),
  ];
  return (
    <MenuTrigger>
      <Button variant="quiet" className="adm-btn-icon" aria-label={`More actions for ${customer.email}`}>
        <span aria-hidden="true">•••</span>
      </Button>
      <Popover className="ui-popover" placement="bottom end">
        <Menu className="ui-menu" items={items} onAction={(key) => onAction(key as RowAction, customer)}>
          {(item) => (
            <MenuItem id={item.id} className={item.danger ? 'ui-menuitem ui-menuitem-danger' : 'ui-menuitem'}>
              {item.label}
            </MenuItem>
          )}
        </Menu>
      </Popover>
    </MenuTrigger>
  );
}
