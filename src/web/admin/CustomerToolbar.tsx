import { Button, Input, Label, SearchField } from 'react-aria-components';
import { SelectField } from '../shared/ui';
import type { CustomerSort, InactiveFilter, StatusFilter } from './admin-api';

const STATUS_OPTIONS: Array<{ id: StatusFilter; label: string }> = [
  { id: 'all', label: 'All' },
  { id: 'active', label: 'Active' },
  { id: 'revoked', label: 'Access revoked' },
];

const INACTIVE_OPTIONS: Array<{ id: string; label: string }> = [
  { id: 'any', label: 'Any time' },
  { id: '30', label: 'Inactive for more than 30 days' },
  { id: '90', label: 'Inactive for more than 90 days' },
  { id: '180', label: 'Inactive for more than 180 days' },
  { id: '365', label: 'Inactive for more than a year' },
];

const SORT_OPTIONS: Array<{ id: CustomerSort; label: string }> = [
  { id: 'name', label: 'Name' },
  { id: 'lastActiveDesc', label: 'Last active, newest first' },
  { id: 'lastActiveAsc', label: 'Last active, oldest first' },
];

/** Search by name or email, the status and last-activity filters, and the order, above the customer list. */
export function CustomerToolbar({
  searchText,
  onSearch,
  status,
  onStatus,
  inactive,
  onInactive,
  sort,
  onSort,
}: {
  searchText: string;
  onSearch: (text: string) => void;
  status: StatusFilter;
  onStatus: (status: StatusFilter) => void;
  inactive: InactiveFilter;
  onInactive: (inactive: InactiveFilter) => void;
  sort: CustomerSort;
  onSort: (sort: CustomerSort) => void;
}) {
  return (
    <div className="adm-toolbar">
      <SearchField value={searchText} onChange={onSearch} className="adm-search">
        <Label className="ui-label">Search by name or email</Label>
        <div className="adm-search-box">
          <Input className="ui-input" placeholder="Any part of a name or email, e.g. @vendor.example" />
          {searchText && (
            <Button className="adm-search-clear" aria-label="Clear search">
              ×
            </Button>
          )}
        </div>
      </SearchField>
      <SelectField label="Status" options={STATUS_OPTIONS} value={status} onChange={(id) => onStatus(id as StatusFilter)} />
      <SelectField
        label="Last active"
        options={INACTIVE_OPTIONS}
        value={inactive || 'any'}
        onChange={(id) => onInactive((id === 'any' ? '' : id) as InactiveFilter)}
      />
      <SelectField label="Sort by" options={SORT_OPTIONS} value={sort} onChange={(id) => onSort(id as CustomerSort)} />
    </div>
  );
}
