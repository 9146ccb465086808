/** Every account, staff or customer, is in one of these states (the database keeps it in `accounts.status`). */
export type AccountStatus = 'active' | 'revoked' | 'deleted';
/** Staff accounts are global; customer accounts are portal-only accounts of one site. */
export type AccountKind = 'staff' | 'customer';

export type AccountTransition = 'revoke' | 'grant' | 'delete';

/**
 * The customer account state machine of docs/product.md#account-states:
 * active --revoke--> revoked --grant--> active; active|revoked --delete--> deleted (final).
 * `noop` means the request succeeds and changes nothing (no audit event);
 * `forbidden` means the transition is not possible from this state.
 */
export function planTransition(
  from: AccountStatus,
  transition: AccountTransition,
): { kind: 'change'; to: AccountStatus } | { kind: 'noop' } | { kind: 'forbidden' } {
  if (from === 'deleted') return transition === 'delete' ? { kind: 'noop' } : { kind: 'forbidden' };
  switch (transition) {
    case 'revoke':
      return from === 'revoked' ? { kind: 'noop' } : { kind: 'change', to: 'revoked' };
    case 'grant':
      return from === 'active' ? { kind: 'noop' } : { kind: 'change', to: 'active' };
    case 'delete':
      return { kind: 'change', to: 'deleted' };
  }
}
