import { useEffect, useReducer, useRef } from 'react';
import { useUrlSearch } from '../shared/useUrlSearch';
import { useDebouncedValue } from '../shared/useDebouncedValue';
import type { BulkAction, BulkResult, Customer, StatusFilter } from './admin-api';

export type RowAction = 'password' | 'name' | 'revoke' | 'grant' | 'delete';

/** Everything the customer list remembers between renders, changed only through `CustomerListEvent`s. */
export interface CustomerListState {
  /** the search box as typed (the list asks for it once typing pauses) */
  searchText: string;
  status: StatusFilter;
  /** offset of the page shown */
  start: number;
  /** selected customers with the label they had when ticked (the bulk dialog names people as they are now) */
  selected: ReadonlyMap<string, string>;
  /** the last outcome, announced in the status region */
  message: string;
  /** the open row dialog */
  dialog: { action: RowAction; customer: Customer } | null;
  /** the open bulk dialog, with the dry run's answer */
  bulk: { action: BulkAction; accountIds: string[]; preview: BulkResult } | null;
}

export type CustomerListEvent =
  | { type: 'search'; text: string }
  | { type: 'filter'; status: StatusFilter }
  /** the searched text settled: back to the first page with nothing selected */
  | { type: 'query-changed' }
  | { type: 'page'; start: number }
  | { type: 'toggle'; customers: readonly Customer[]; on: boolean }
  | { type: 'clear-selection' }
  | { type: 'message'; text: string }
  | { type: 'open-row'; action: RowAction; customer: Customer }
  | { type: 'close-row' }
  | { type: 'row-done'; text: string; action: RowAction; customer: Customer }
  | { type: 'bulk-previewed'; action: BulkAction; accountIds: string[]; preview: BulkResult }
  | { type: 'close-bulk' }
  | { type: 'bulk-done'; text: string };

const NOTHING: ReadonlyMap<string, string> = new Map();

export const initialCustomerListState: CustomerListState = {
  searchText: '',
  status: 'all',
  start: 0,
  selected: NOTHING,
  message: '',
  dialog: null,
  bulk: null,
};

export function customerListReducer(state: CustomerListState, event: CustomerListEvent): CustomerListState {
  switch (event.type) {
    case 'search':
      return { ...state, searchText: event.text };
    case 'filter':
      // A new filter starts again at the first page with nothing selected.
      return event.status === state.status ? state : { ...state, status: event.status, start: 0, selected: NOTHING };
    case 'query-changed':
      return { ...state, start: 0, selected: NOTHING };
    case 'page':
      return { ...state, start: event.start };
    case 'toggle': {
      const selected = new Map(state.selected);
      for (const c of event.customers) {
        if (event.on) selected.set(c.accountId, c.label);
        else selected.delete(c.accountId);
      }
      return { ...state, selected };
    }
    case 'clear-selection':
      return { ...state, selected: NOTHING };
    case 'message':
      return { ...state, message: event.text };
    case 'open-row':
      return { ...state, message: '', dialog: { action: event.action, customer: event.customer } };
    case 'close-row':
      return { ...state, dialog: null };
    case 'row-done': {
      // A deleted customer leaves the selection; any other action keeps it as it was.
      let selected = state.selected;
      if (event.action === 'delete' && selected.has(event.customer.accountId)) {
        const next = new Map(selected);
        next.delete(event.customer.accountId);
        selected = next;
      }
      return { ...state, message: event.text, dialog: null, selected };
    }
    case 'bulk-previewed':
      return { ...state, bulk: { action: event.action, accountIds: event.accountIds, preview: event.preview } };
    case 'close-bulk':
      return { ...state, bulk: null };
    case 'bulk-done':
      return { ...state, message: event.text, bulk: null, selected: NOTHING };
  }
}

const STATUSES: readonly StatusFilter[] = ['all', 'active', 'revoked'];

/** The list as a link names it: ?q=…&status=…&start=… (docs/product.md#admin-console). */
export function stateFromUrl(search: Record<string, string>): CustomerListState {
  const status = (STATUSES as readonly string[]).includes(search.status ?? '') ? (search.status as StatusFilter) : 'all';
  const start = Number(search.start);
  return { ...initialCustomerListState, searchText: search.q ?? '', status, start: Number.isInteger(start) && start > 0 ? start : 0 };
}

/**
 * The customer list's state, and the search text as the server is asked for it (debounced,
 * trimmed). The search, the status filter and the page live in the URL: a reload or a shared link
 * opens the same view.
 */
export function useCustomerListState() {
  const [search, setSearch] = useUrlSearch();
  const [state, dispatch] = useReducer(customerListReducer, search, stateFromUrl);
  const query = useDebouncedValue(state.searchText.trim(), 300);
  // A new search starts again at the first page with nothing selected (not the one the URL opened with).
  const opened = useRef(true);
  useEffect(() => {
    if (opened.current) {
      opened.current = false;
      return;
    }
    dispatch({ type: 'query-changed' });
  }, [query]);
  useEffect(() => {
    setSearch({ q: query, status: state.status === 'all' ? undefined : state.status, start: state.start });
  }, [query, state.status, state.start, setSearch]);
  return { state, query, dispatch };
}
