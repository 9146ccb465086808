import type { Static } from 'typebox';
import { displayLabel, isActive } from '../../domain/display.js';
import { mayReadEmailOf, type Actor } from '../../domain/policies.js';
import type { AccountStatus } from '../../domain/account-state.js';
import type { PersonSchema, PickerPersonSchema } from '../schemas/people.js';

/** A stored person as the internal JSON API sends it: `label` is what every screen shows. */
export type PersonJson = Static<typeof PersonSchema>;

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

/** A person the user picker offers: always active, so the picker leaves `active` out. */
export function presentPickerPerson(account: { accountId: string; displayName: string | null; email: string | null }, viewer: Actor): Static<typeof PickerPersonSchema> {
  const p = presentPerson({ ...account, status: 'active' }, viewer);
  return { accountId: p.accountId, displayName: p.displayName, label: p.label, ...(p.email ? { email: p.email } : {}) };
}
