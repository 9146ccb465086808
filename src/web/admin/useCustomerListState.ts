import { useEffect, useReducer, useRef } from 'react';
import { useUrlSearch } from '../shared/useUrlSearch';
import { useDebouncedValue } from '../shared/useDebouncedValue';
import type { BulkAction, BulkResult, Customer, CustomerSort, InactiveFilter, StatusFilter } from './admin-api';

export type RowAction = 'password' | 'name' | 'email' | 'cancelEmail' | 'revoke' | 'grant' | 'delete' | 'until';

/** Everything the customer list remembers between renders, changed only through `CustomerListEvent`s. */
export interface CustomerListState {
  /** the search box as typed (the list asks for it once typing pauses) */
  searchText: string;
  status: StatusFilter;
  /** "inactive for more than N days" ('' for any time) */
  inactive: InactiveFilter;
  sort: CustomerSort;
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
  | { type: 'inactive'; inactive: InactiveFilter }
  | { type: 'sort'; sort: CustomerSort }
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
  inactive: '',
  sort: 'name',
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
    case 'inactive':
      return event.inactive === state.inactive ? state : { ...state, inactive: event.inactive, start: 0, selected: NOTHING };
    case 'sort':
      // the same customers in another order: back to the first page, the selection kept
      return event.sort === state.sort ? state : { ...state, sort: event.sort, start: 0 };
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
const INACTIVE: readonly InactiveFilter[] = ['', '30', '90', '180', '365'];
const SORTS: readonly CustomerSort[] = ['name', 'lastActiveDesc', 'lastActiveAsc'];

/** The list as a link names it: ?q=…&status=…&inactive=…&sort=…&start=… (docs/product.md#admin-console). */
export function stateFromUrl(search: Record<string, string>): CustomerListState {
  const status = (STATUSES as readonly string[]).includes(search.status ?? '') ? (search.status as StatusFilter) : 'all';
  const inactive = (INACTIVE as readonly string[]).includes(search.inactive ?? '') ? (search.inactive as InactiveFilter) : '';
  const sort = (SORTS as readonly string[]).includes(search.sort ?? '') ? (search.sort as CustomerSort) : 'name';
  const start = Number(search.start);
  return { ...initialCustomerListState, searchText: search.q ?? '', status, inactive, sort, start: Number.isInteger(start) && start > 0 ? start : 0 };
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
    setSearch({
      q: query,
      status: state.status === 'all' ? undefined : state.status,
      inactive: state.inactive || undefined,
      sort: state.sort === 'name' ? undefined : state.sort,
      start: state.start,
    });
  }, [query, state.status, state.inactive, state.sort, state.start, setSearch]);
  return { state, query, dispatch };
}
