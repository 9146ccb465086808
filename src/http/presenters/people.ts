import { displayLabel, isActive } from '../../domain/display.js';
import { mayReadEmailOf, type Actor } from '../../domain/policies.js';
import type { AccountStatus } from '../../domain/account-state.js';

/** A stored person as the internal JSON API sends it: `label` is what every screen shows. */
export interface PersonJson {
  accountId: string;
  displayName: string;
  label: string;
  email?: string;
  active: boolean;
}

export interface PresentableAccount {
  accountId: string;
  displayName: string | null;
  email: string | null;
  status: AccountStatus;
}

/**
 * The one presenter of a person for the internal JSON API (help center, agent workspace, admin
 * console). `label` comes from displayLabel ("Name", "Name (Deactivated)", "Former user
 * (Deactivated)"); a deleted account's name and email are erased and never sent. The email goes only
 * to a viewer who may read it (policies.mayReadEmailOf): staff, and the person themselves — a
 * customer sees everyone else by name only, as the REST API shows them.
 */
export function presentPerson(account: PresentableAccount, viewer: Actor): PersonJson {
  const label = displayLabel({ display_name: account.displayName, status: account.status });
  const deleted = account.status === 'deleted';
  const person: PersonJson = {
    accountId: account.accountId,
    displayName: deleted ? label : (account.displayName ?? label),
    label,
    active: isActive(account),
  };
  if (!deleted && account.email && mayReadEmailOf(viewer, account.accountId)) person.email = account.email;
  return person;
}
