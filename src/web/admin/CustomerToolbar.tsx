import { Button, Input, Label, SearchField } from 'react-aria-components';
import { SelectField } from '../shared/ui';
import type { StatusFilter } from './admin-api';

const STATUS_OPTIONS: Array<{ id: StatusFilter; label: string }> = [
  { id: 'all', label: 'All' },
  { id: 'active', label: 'Active' },
  { id: 'revoked', label: 'Access revoked' },
];

/** Search by name or email, and the status filter, above the customer list. */
export function CustomerToolbar({
  searchText,
  onSearch,
  status,
  onStatus,
}: {
  searchText: string;
  onSearch: (text: string) => void;
  status: StatusFilter;
  onStatus: (status: StatusFilter) => void;
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
    </div>
  );
}
