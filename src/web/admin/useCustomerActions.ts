import type { Dispatch } from 'react';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { adminApi, formatDateTime, keys, type AccessNote, type BulkAction, type Customer } from './admin-api';
import type { CustomerListEvent, CustomerListState, RowAction } from './useCustomerListState';

export function plural(n: number, one: string, many: string) {
  return `${n} ${n === 1 ? one : many}`;
}

/**
 * What the customer list does to customers: the row actions (revoke, grant, password, name, email,
 * delete) and bulk revoke/grant with its dry run first. Each outcome is reported to the list's state
 * and refreshes the list.
 */
export function useCustomerActions(siteSlug: string, state: CustomerListState, dispatch: Dispatch<CustomerListEvent>) {
  const queryClient = useQueryClient();
  const refresh = () => queryClient.invalidateQueries({ queryKey: keys.customers(siteSlug) });

  const row = useMutation({
    mutationFn: async (input: { action: RowAction; customer: Customer; value?: string | null; note?: AccessNote }): Promise<string> => {
      const { action, customer } = input;
      const name = customer.displayName;
      switch (action) {
        case 'revoke': {
          const r = await adminApi.revoke(siteSlug, customer.accountId, input.note);
          return r.changed ? `Access revoked for ${name}.` : `Access was already revoked for ${name}.`;
        }
        case 'grant': {
          const r = await adminApi.grant(siteSlug, customer.accountId, input.note);
          return r.changed ? `Access granted for ${name}.` : `${name} already had access.`;
        }
        case 'password':
          await adminApi.changePassword(siteSlug, customer.accountId, input.value ?? '');
          return `Password changed for ${name}.`;
        case 'name': {
          const r = await adminApi.changeName(siteSlug, customer.accountId, input.value ?? '');
          return `Full name of ${customer.email} changed to ${r.customer.displayName}.`;
        }
        case 'email': {
          const r = await adminApi.changeEmail(siteSlug, customer.accountId, input.value ?? '');
          return `A link to confirm the new address was mailed to ${r.customer.pendingEmail}. ${name}’s email changes once it is opened.`;
        }
        case 'cancelEmail': {
          const r = await adminApi.cancelEmailChange(siteSlug, customer.accountId);
          return r.changed ? `The email change for ${name} was cancelled.` : `${name} had no pending email change.`;
        }
        case 'delete':
          await adminApi.deleteCustomer(siteSlug, customer.accountId);
          return `${name} was deleted.`;
        case 'until': {
          const r = await adminApi.accessUntil(siteSlug, customer.accountId, input.value ?? null, input.note);
          return r.customer.accessUntil ? `${name} has access until ${formatDateTime(r.customer.accessUntil)}.` : `${name}’s access no longer ends on a date.`;
        }
      }
    },
    onSuccess: async (text, input) => {
      dispatch({ type: 'row-done', text, action: input.action, customer: input.customer });
      await refresh();
    },
  });

  const preview = useMutation({
    mutationFn: (input: { action: BulkAction; accountIds: string[] }) => adminApi.bulk(siteSlug, input.action, input.accountIds, true),
    onSuccess: (result, input) => dispatch({ type: 'bulk-previewed', ...input, preview: result }),
    onError: (error) => dispatch({ type: 'message', text: `Could not check the selected customers: ${error instanceof Error ? error.message : 'error'}` }),
  });

  const bulkRun = useMutation({
    mutationFn: (input: { action: BulkAction; accountIds: string[]; note?: AccessNote }) => adminApi.bulk(siteSlug, input.action, input.accountIds, false, input.note),
    onSuccess: async (result, input) => {
      const who = plural(result.changed, 'customer', 'customers');
      dispatch({ type: 'bulk-done', text: input.action === 'revoke' ? `Access revoked for ${who}.` : `Access granted for ${who}.` });
      await refresh();
    },
  });

  const bulkUntil = useMutation({
    mutationFn: (input: { until: string | null; note: AccessNote }) => adminApi.bulkAccessUntil(siteSlug, [...state.selected.keys()], input.until, input.note),
    onSuccess: async (result, input) => {
      const who = plural(result.changed, 'customer', 'customers');
      const skipped = result.skipped.length ? ` ${plural(result.skipped.length, 'customer was', 'customers were')} skipped: access already revoked.` : '';
      dispatch({ type: 'bulk-done', text: input.until ? `Access until ${formatDateTime(input.until)} set for ${who}.${skipped}` : `Date removed for ${who}.` });
      await refresh();
    },
  });

  return {
    row,
    preview,
    bulkRun,
    bulkUntil,
    openRow(action: RowAction, customer: Customer) {
      row.reset();
      dispatch({ type: 'open-row', action, customer });
    },
    closeRow() {
      dispatch({ type: 'close-row' });
      row.reset();
    },
    /** Asks the server what a bulk action would change (the dry run); its answer opens the bulk dialog. */
    startBulk(action: BulkAction) {
      dispatch({ type: 'message', text: '' });
      bulkRun.reset();
      preview.mutate({ action, accountIds: [...state.selected.keys()] });
    },
    closeBulk() {
      dispatch({ type: 'close-bulk' });
      bulkRun.reset();
    },
  };
}

export type CustomerActions = ReturnType<typeof useCustomerActions>;
