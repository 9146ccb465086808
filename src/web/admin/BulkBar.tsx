import { Button } from '../shared/ui';
import { plural } from './useCustomerActions';

/** Shown while customers are selected: how many, and what can be done to all of them at once. */
export function BulkBar({
  count,
  pending,
  onRevoke,
  onGrant,
  onUntil,
  onClear,
}: {
  count: number;
  pending: boolean;
  onRevoke: () => void;
  onGrant: () => void;
  onUntil: () => void;
  onClear: () => void;
}) {
  return (
    <div className="adm-bulkbar" role="toolbar" aria-label="Bulk actions">
      <span>{plural(count, 'customer', 'customers')} selected</span>
      <Button variant="danger" onPress={onRevoke} isDisabled={pending}>
        Revoke access
      </Button>
      <Button variant="primary" onPress={onGrant} isDisabled={pending}>
        Grant access
      </Button>
      <Button onPress={onUntil} isDisabled={pending}>
        Set access until…
      </Button>
      <Button onPress={onClear}>Clear selection</Button>
    </div>
  );
}
