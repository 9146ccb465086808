import type { Static } from 'typebox';
import { displayLabel } from '../../domain/display.js';
import type { CustomerRecord } from '../../domain/customers.js';
import type { Actor } from '../../domain/policies.js';
import type { CustomerSchema, ProjectCustomerSchema } from '../schemas/customers.js';
import { presentPerson, type PresentableAccount } from './people.js';

// The two shapes of a customer on the internal API, one presenter each: the admin console's row
// (with its dates) and the agent workspace's project customer (a person with a status).

/** What the admin console shows of a customer; every person goes through displayLabel. */
export function presentCustomer(c: CustomerRecord, pendingEmail: string | null = null): Static<typeof CustomerSchema> {
  return {
    accountId: c.accountId,
    displayName: c.displayName ?? '',
    label: displayLabel({ display_name: c.displayName, status: c.status }),
    email: c.email ?? '',
    status: c.status as 'active' | 'revoked',
    lastActiveAt: c.lastActiveAt ? c.lastActiveAt.toISOString() : null,
    createdAt: c.createdAt.toISOString(),
    revokeReason: c.status === 'revoked' ? c.revokeReason : null,
    accessUntil: c.accessUntil ? c.accessUntil.toISOString() : null,
    pendingEmail,
  };
}

/** A customer row of a project's customers page: the person plus the status the admin list uses. */
export function presentProjectCustomer(c: PresentableAccount, viewer: Actor): Static<typeof ProjectCustomerSchema> {
  return {
    ...presentPerson(c, viewer),
    status: c.status,
    statusLabel: c.status === 'active' ? 'Active' : 'Access revoked',
  };
}
