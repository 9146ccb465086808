import type { AccountStatus } from './account-state.js';

export interface DisplayableAccount {
  display_name: string | null;
  status: AccountStatus;
}

export const FORMER_USER_LABEL = 'Former user (Deactivated)';
export const DEACTIVATED_SUFFIX = ' (Deactivated)';

/**
 * The one display rule for a person, used by every screen (docs/product.md#display-rule): an active account
 * shows its name, a revoked one "Name (Deactivated)", a deleted one "Former user (Deactivated)".
 */
export function displayLabel(account: DisplayableAccount): string {
  if (account.status === 'deleted' || !account.display_name) return FORMER_USER_LABEL;
  if (account.status === 'revoked') return account.display_name + DEACTIVATED_SUFFIX;
  return account.display_name;
}

/** REST reports `active: false` for revoked and deleted accounts; displayName stays as stored. */
export function isActive(account: { status: AccountStatus }): boolean {
  return account.status === 'active';
}
